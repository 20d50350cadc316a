using System.Security.Cryptography;
using System.Text.Json;

namespace ContentPortal.Domain;

/// <summary>
/// One line of the append-only audit trail. Each entry carries the hash of the one before it, so
/// changing or removing any entry breaks every hash after it (tamper-evident, 21 CFR Part 11 §11.10(e)).
/// </summary>
public sealed class AuditEntry
{
    private AuditEntry()
    {
    }

    /// <summary>1, 2, 3, … with no gaps: the position in the chain.</summary>
    public long Sequence { get; private set; }

    public DateTime At { get; private set; }

    /// <summary>The user id, or a marker like "anonymous" for a failed login.</summary>
    public string ActorId { get; private set; } = "";

    public string ActorName { get; private set; } = "";

    /// <summary>What happened, in a stable dotted form: "version.approved", "user.roles-changed", …</summary>
    public string Action { get; private set; } = "";

    /// <summary>What it happened to: "document:{id}", "version:{id}", "user:{id}", "snapshot:{id}".</summary>
    public string Subject { get; private set; } = "";

    /// <summary>Readable detail, e.g. before → after values.</summary>
    public string Details { get; private set; } = "";

    public string PreviousHash { get; private set; } = "";

    public string Hash { get; private set; } = "";

    public const string GenesisHash = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The entry that follows <paramref name="previous"/> (null for the first entry).</summary>
    public static AuditEntry Next(AuditEntry? previous, DateTime at, string actorId, string actorName, string action, string subject, string details)
    {
        var entry = new AuditEntry
        {
            Sequence = (previous?.Sequence ?? 0) + 1,
            // Whole microseconds: what every store keeps (PostgreSQL drops the 100 ns ticks), so the hash
            // computed now is the hash recomputed from the stored row.
            At = new DateTime(at.Ticks - at.Ticks % 10, at.Kind),
            ActorId = actorId,
            ActorName = actorName,
            Action = action,
            Subject = subject,
            Details = details,
            PreviousHash = previous?.Hash ?? GenesisHash,
        };
        entry.Hash = entry.ComputeHash();
        return entry;
    }

    /// <summary>An entry exactly as stored (read row by row for verification, so one unreadable row cannot stop the check).</summary>
    public static AuditEntry Stored(long sequence, DateTime at, string actorId, string actorName, string action, string subject, string details, string previousHash, string hash) =>
        new()
        {
            Sequence = sequence, At = at, ActorId = actorId, ActorName = actorName, Action = action,
            Subject = subject, Details = details, PreviousHash = previousHash, Hash = hash,
        };

    // Stored times come back without a kind; they are UTC, whatever the host's time zone.
    private static DateTime Utc(DateTime at) => at.Kind == DateTimeKind.Local ? at.ToUniversalTime() : DateTime.SpecifyKind(at, DateTimeKind.Utc);

    /// <summary>SHA-256 over every field but the hash itself, as JSON so no text can move between fields.</summary>
    public string ComputeHash()
    {
        var canonical = JsonSerializer.SerializeToUtf8Bytes(new object[]
        {
            Sequence, Utc(At).ToString("O"), ActorId, ActorName, Action, Subject, Details, PreviousHash,
        });
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(canonical));
    }
}

/// <summary>A pending audit line: what to record, before it is chained at save time.</summary>
public sealed record AuditRecord(DateTime At, string ActorId, string ActorName, string Action, string Subject, string Details)
{
    /// <summary>The longest a recorded text may be: the trail is append-only and kept forever, so no line grows without bound.</summary>
    public const int MaxTextLength = 2000;

    public string ActorId { get; init; } = Bound(ActorId);

    public string ActorName { get; init; } = Bound(ActorName);

    /// <summary>The subject column is 120 characters (an id with a prefix); a longer one is cut.</summary>
    public const int MaxSubjectLength = 120;

    public string Subject { get; init; } = Bound(Subject, MaxSubjectLength);

    public string Details { get; init; } = Bound(Details);

    private static string Bound(string text, int max = MaxTextLength) =>
        text.Length <= max ? text : text[..(max - 1)] + "\u2026";

    private static long recorded;

    /// <summary>Order of recording in this process, so records raised by several aggregates in one save are chained as they happened.</summary>
    public long Order { get; } = Interlocked.Increment(ref recorded);

    public static AuditRecord By(Actor actor, DateTime at, string action, string subject, string details) =>
        new(at, actor.UserId, actor.DisplayName, action, subject, details);
}

public sealed record AuditBreak(long Sequence, string Reason);

public static class AuditChain
{
    /// <summary>Chains records after <paramref name="last"/>, in order.</summary>
    public static IReadOnlyList<AuditEntry> Append(AuditEntry? last, IEnumerable<AuditRecord> records)
    {
        var chained = new List<AuditEntry>();
        foreach (var record in records)
        {
            last = AuditEntry.Next(last, record.At, record.ActorId, record.ActorName, record.Action, record.Subject, record.Details);
            chained.Add(last);
        }

        return chained;
    }

    /// <summary>
    /// Walks the chain in sequence order and names the first entry that does not fit: an edited entry
    /// (its hash no longer matches its content), a removed or inserted one (sequence gap or previous-hash
    /// mismatch). Null when the whole chain is intact.
    /// </summary>
    public static AuditBreak? Verify(IEnumerable<AuditEntry> entries)
    {
        AuditEntry? previous = null;
        foreach (var entry in entries)
        {
            var expectedSequence = (previous?.Sequence ?? 0) + 1;
            if (entry.Sequence < expectedSequence)
            {
                return new AuditBreak(entry.Sequence, $"Entry {entry.Sequence} appears again after entry {expectedSequence - 1}: an entry was inserted or the order changed.");
            }

            if (entry.Sequence != expectedSequence)
            {
                return new AuditBreak(entry.Sequence, $"Entry {expectedSequence} is missing: the chain jumps from {expectedSequence - 1} to {entry.Sequence}.");
            }

            if (entry.PreviousHash != (previous?.Hash ?? AuditEntry.GenesisHash))
            {
                return new AuditBreak(entry.Sequence, $"Entry {entry.Sequence} does not follow entry {expectedSequence - 1}: its previous-hash does not match.");
            }

            if (entry.Hash != entry.ComputeHash())
            {
                return new AuditBreak(entry.Sequence, $"Entry {entry.Sequence} was altered after it was written: its content no longer matches its hash.");
            }

            previous = entry;
        }

        return null;
    }
}
