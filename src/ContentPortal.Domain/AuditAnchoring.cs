namespace ContentPortal.Domain;

/// <summary>
/// A keyed checkpoint over the audit chain's head: "entry <see cref="Sequence"/> had hash <see cref="Hash"/>
/// at <see cref="At"/>", with a MAC made with a key that is not in the database. The hash chain alone
/// shows an edited or removed middle entry, but anyone who can write the database can delete the last
/// entries, or edit one and recompute every later hash. They cannot make a checkpoint that vouches for
/// the new chain without the key, and the old checkpoints still vouch for the old one.
/// </summary>
public sealed class AuditCheckpoint
{
    private AuditCheckpoint()
    {
    }

    public long Id { get; private set; }

    /// <summary>The chain head it vouches for: the last entry's sequence (0 for an empty trail) and hash.</summary>
    public long Sequence { get; private set; }

    public string Hash { get; private set; } = "";

    public DateTime At { get; private set; }

    /// <summary>Why it was written: "publish of snapshot 4", "periodic".</summary>
    public string Reason { get; private set; } = "";

    /// <summary>HMAC-SHA256 over <see cref="Message"/>, hex; the key is outside the database.</summary>
    public string Mac { get; private set; } = "";

    public static AuditCheckpoint Over(long sequence, string hash, DateTime at, string reason, Func<string, string> mac)
    {
        // Whole microseconds, as stored on every provider, so the MAC checks against the time read back.
        var checkpoint = new AuditCheckpoint { Sequence = sequence, Hash = hash, At = new DateTime(at.Ticks - at.Ticks % 10, at.Kind), Reason = reason };
        checkpoint.Mac = mac(checkpoint.Message);
        return checkpoint;
    }

    /// <summary>What the MAC covers: every field but the id.</summary>
    public string Message => $"contentportal-audit-checkpoint/1|{Sequence}|{Hash}|{DateTime.SpecifyKind(At, DateTimeKind.Utc):O}|{Reason}";
}

/// <summary>One thing verification found, in words for an auditor.</summary>
public sealed record AuditFinding(long? Sequence, string Problem);

/// <summary>Checks the chain against its checkpoints.</summary>
public static class AuditAnchors
{
    /// <summary>
    /// Each published snapshot told its consumers the chain head (entry and hash) at that moment: the
    /// stored chain must still hold it. Consumers keep their copies, so this also works against someone
    /// who can rewrite the database but not every consumer's copy of the feed.
    /// </summary>
    public static IReadOnlyList<AuditFinding> CheckSnapshotHeads(IReadOnlyList<AuditEntry> entries, IEnumerable<(int SnapshotId, long Sequence, string Hash)> heads)
    {
        var bySequence = new Dictionary<long, string>();
        foreach (var entry in entries)
        {
            bySequence.TryAdd(entry.Sequence, entry.Hash);
        }

        var findings = new List<AuditFinding>();
        foreach (var (snapshotId, sequence, hash) in heads.OrderBy(h => h.SnapshotId))
        {
            if (sequence == 0)
            {
                continue;
            }

            if (!bySequence.TryGetValue(sequence, out var stored))
            {
                findings.Add(new AuditFinding(sequence, $"Snapshot {snapshotId} told its consumers that the trail reached entry {sequence}, but the trail has no entry {sequence}: entries were deleted."));
            }
            else if (stored != hash)
            {
                findings.Add(new AuditFinding(sequence, $"Snapshot {snapshotId} told its consumers that entry {sequence} had hash {hash}, but it now has {stored}: the chain was rewritten."));
            }
        }

        return findings;
    }

    /// <summary>
    /// Each checkpoint must be authentic (its MAC made with the key) and the stored chain must still hold
    /// the head it vouches for: the entry must exist (else the trail was cut short) and have that hash
    /// (else the chain was rewritten and rehashed).
    /// </summary>
    public static IReadOnlyList<AuditFinding> Check(IReadOnlyList<AuditEntry> entries, IEnumerable<AuditCheckpoint> checkpoints, Func<AuditCheckpoint, bool> authentic)
    {
        var findings = new List<AuditFinding>();
        var bySequence = new Dictionary<long, AuditEntry>();
        foreach (var entry in entries)
        {
            bySequence.TryAdd(entry.Sequence, entry);
        }

        var last = entries.Count == 0 ? 0 : entries.Max(e => e.Sequence);
        foreach (var checkpoint in checkpoints.OrderBy(c => c.Sequence).ThenBy(c => c.At))
        {
            var when = $"{DateTime.SpecifyKind(checkpoint.At, DateTimeKind.Utc):yyyy-MM-dd HH:mm:ss} UTC";
            if (!authentic(checkpoint))
            {
                findings.Add(new AuditFinding(checkpoint.Sequence, $"The checkpoint of {when} for entry {checkpoint.Sequence} is not authentic: it was not made with this installation's key (forged or altered)."));
                continue;
            }

            if (checkpoint.Sequence == 0)
            {
                continue;
            }

            if (checkpoint.Sequence > last)
            {
                findings.Add(new AuditFinding(checkpoint.Sequence, $"The trail ends at entry {last}, but the checkpoint of {when} vouches for entry {checkpoint.Sequence}: entries were deleted from the end."));
            }
            else if (!bySequence.TryGetValue(checkpoint.Sequence, out var entry))
            {
                findings.Add(new AuditFinding(checkpoint.Sequence, $"Entry {checkpoint.Sequence}, vouched for by the checkpoint of {when}, is missing."));
            }
            else if (entry.Hash != checkpoint.Hash)
            {
                findings.Add(new AuditFinding(checkpoint.Sequence, $"Entry {checkpoint.Sequence} no longer has the hash the checkpoint of {when} vouches for: the chain up to it was rewritten and rehashed."));
            }
        }

        return findings;
    }
}
