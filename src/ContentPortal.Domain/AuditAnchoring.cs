namespace ContentPortal.Domain;

/// <summary>
/// A signed checkpoint over the audit chain's head: "entry <see cref="Sequence"/> had hash <see cref="Hash"/>
/// at <see cref="At"/>, and the checkpoint before me vouched for entry <see cref="PreviousSequence"/> with
/// hash <see cref="PreviousHash"/>". Signed with ES256 by a private key the database never holds; its public
/// key (<see cref="KeyId"/>) is kept in <see cref="AuditSigningKey"/>, so anyone can check it and nobody who
/// can only write the database can make one. Checkpoints written before issue 25 carry an HMAC in
/// <see cref="Mac"/> instead (legacy, symmetric: see <see cref="IsLegacy"/>).
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

    /// <summary>Legacy checkpoints only: HMAC-SHA256 over <see cref="LegacyMessage"/>, hex. Empty on signed ones.</summary>
    public string Mac { get; private set; } = "";

    /// <summary>The head the previous checkpoint vouched for (null on the first signed checkpoint of an empty history).</summary>
    public long? PreviousSequence { get; private set; }

    public string? PreviousHash { get; private set; }

    /// <summary>RFC 7638 thumbprint of the signing key (null on legacy checkpoints).</summary>
    public string? KeyId { get; private set; }

    /// <summary>Detached compact JWS (ES256) over <see cref="Message"/>'s UTF-8 bytes.</summary>
    public string? Signature { get; private set; }

    /// <summary>Made with the shared HMAC key that sat beside the database: whoever could read it could forge one.</summary>
    public bool IsLegacy => KeyId is null;

    public static AuditCheckpoint Signed(long sequence, string hash, DateTime at, string reason, AuditCheckpoint? previous, string keyId, Func<string, string> sign)
    {
        var checkpoint = new AuditCheckpoint
        {
            Sequence = sequence,
            Hash = hash,
            At = AuditHead.Stored(at),
            Reason = reason,
            PreviousSequence = previous?.Sequence,
            PreviousHash = previous?.Hash,
            KeyId = keyId,
        };
        checkpoint.Signature = sign(checkpoint.Message);
        return checkpoint;
    }

    /// <summary>What the signature covers: every field but the id and the signature.</summary>
    public string Message =>
        $"contentportal-audit-checkpoint/2|{Sequence}|{Hash}|{AuditHead.Time(At)}|{Reason}|{PreviousSequence}|{PreviousHash}|{KeyId}";

    /// <summary>What a legacy HMAC covered.</summary>
    public string LegacyMessage => $"contentportal-audit-checkpoint/1|{Sequence}|{Hash}|{AuditHead.Time(At)}|{Reason}";

    /// <summary>A checkpoint as the HMAC era wrote it (tests of the upgrade).</summary>
    public static AuditCheckpoint Legacy(long sequence, string hash, DateTime at, string reason, Func<string, string> mac)
    {
        var checkpoint = new AuditCheckpoint { Sequence = sequence, Hash = hash, At = AuditHead.Stored(at), Reason = reason };
        checkpoint.Mac = mac(checkpoint.LegacyMessage);
        return checkpoint;
    }
}

/// <summary>
/// A public key the audit chain was signed with (ES256, P-256), kept forever so every old checkpoint stays
/// checkable. Each key after the first is endorsed by the key before it (<see cref="Endorsement"/>), or is
/// recorded as made after the previous key was lost (<see cref="PreviousLost"/>), which verify reports.
/// </summary>
public sealed class AuditSigningKey
{
    private AuditSigningKey()
    {
    }

    public int Id { get; private set; }

    /// <summary>RFC 7638 JWK thumbprint (base64url SHA-256): the JWS header's <c>kid</c>.</summary>
    public string KeyId { get; private set; } = "";

    /// <summary>The public point, base64url, as in the JWK.</summary>
    public string X { get; private set; } = "";

    public string Y { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    /// <summary>The key this one replaced (null for the first key).</summary>
    public string? PreviousKeyId { get; private set; }

    /// <summary>Detached JWS by the previous key over <see cref="EndorsedMessage"/>; null for the first key or a lost one.</summary>
    public string? Endorsement { get; private set; }

    public bool PreviousLost { get; private set; }

    public string EndorsedMessage => $"contentportal-audit-key/1|{KeyId}|{X}|{Y}|{AuditHead.Time(CreatedAt)}|{PreviousKeyId}";

    public static AuditSigningKey First(string keyId, string x, string y, DateTime at) =>
        new() { KeyId = keyId, X = x, Y = y, CreatedAt = AuditHead.Stored(at) };

    /// <summary>A rotation: endorsed by the previous key when it is at hand, else recorded as lost.</summary>
    public static AuditSigningKey After(AuditSigningKey previous, string keyId, string x, string y, DateTime at, Func<string, string>? signByPrevious)
    {
        if (previous.KeyId == keyId)
        {
            throw new RefusedException("The new audit signing key is the same as the current one.");
        }

        var key = new AuditSigningKey { KeyId = keyId, X = x, Y = y, CreatedAt = AuditHead.Stored(at), PreviousKeyId = previous.KeyId, PreviousLost = signByPrevious is null };
        key.Endorsement = signByPrevious?.Invoke(key.EndorsedMessage);
        return key;
    }
}

/// <summary>The audit lines the signing keys write.</summary>
public static class AuditKeyActions
{
    public const string KeyCreated = "audit.signing-key-created";
    public const string KeyRotated = "audit.signing-key-rotated";
    public const string KeyLost = "audit.signing-key-lost";
}

/// <summary>The chain head a snapshot was published at, as signed into its feed.</summary>
public static class AuditHead
{
    /// <summary>Whole microseconds, as stored on every provider, so a signature checks against the time read back.</summary>
    public static DateTime Stored(DateTime at) => new(at.Ticks - at.Ticks % 10, DateTimeKind.Utc);

    public static string Time(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The signed time as the feed spells it (microseconds, UTC), so a consumer signs-checks the very text it received.</summary>
    public static string FeedTime(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>What a snapshot's head signature covers; consumers rebuild it from the feed's <c>auditChainHead</c> fields as sent.</summary>
    public static string Message(long sequence, string hash, DateTime signedAt) =>
        $"contentportal-audit-head/1|{sequence}|{hash}|{FeedTime(signedAt)}";
}

/// <summary>One thing verification found, in words for an auditor.</summary>
/// <param name="Notice">Said to the auditor but not a break (a recorded key loss).</param>
public sealed record AuditFinding(long? Sequence, string Problem, bool Notice = false);

/// <summary>A snapshot's recorded head (null sequence: never recorded) and its signature.</summary>
public sealed record SnapshotHead(int SnapshotId, long? Sequence, string? Hash, DateTime? SignedAt, string? KeyId, string? Signature);

/// <summary>Checks the chain against its checkpoints, keys and snapshot heads.</summary>
public static class AuditAnchors
{
    /// <summary>
    /// Each published snapshot told its consumers the chain head (entry and hash) at that moment: the head
    /// must be recorded, signed, and the stored chain must still hold it. Consumers keep their copies, so
    /// this also works against someone who can rewrite the database but not every consumer's copy.
    /// </summary>
    public static IReadOnlyList<AuditFinding> CheckSnapshotHeads(IReadOnlyList<AuditEntry> entries, IEnumerable<SnapshotHead> heads, Func<string, string?, string?, bool> verify)
    {
        var bySequence = ToMap(entries);
        var findings = new List<AuditFinding>();
        foreach (var head in heads.OrderBy(h => h.SnapshotId))
        {
            if (head.Sequence is not { } sequence || head.Hash is null)
            {
                findings.Add(new AuditFinding(null, $"Snapshot {head.SnapshotId} has no recorded chain head: it was removed."));
                continue;
            }

            if (head.Signature is not null || head.SignedAt is not null)
            {
                if (head.SignedAt is not { } signedAt || !verify(AuditHead.Message(sequence, head.Hash, signedAt), head.KeyId, head.Signature))
                {
                    findings.Add(new AuditFinding(sequence, $"Snapshot {head.SnapshotId}'s chain head (entry {sequence}) does not carry a valid signature by a recorded key: it was altered."));
                    continue;
                }
            }

            if (sequence == 0)
            {
                continue;
            }

            if (!bySequence.TryGetValue(sequence, out var stored))
            {
                findings.Add(new AuditFinding(sequence, $"Snapshot {head.SnapshotId} told its consumers that the trail reached entry {sequence}, but the trail has no entry {sequence}: entries were deleted."));
            }
            else if (stored.Hash != head.Hash)
            {
                findings.Add(new AuditFinding(sequence, $"Snapshot {head.SnapshotId} told its consumers that entry {sequence} had hash {head.Hash}, but it now has {stored.Hash}: the chain was rewritten."));
            }
        }

        return findings;
    }

    /// <summary>
    /// Each signed checkpoint must carry a valid signature by a recorded key, follow the checkpoint it names
    /// as previous (which must still exist), and the stored chain must still hold the head it vouches for.
    /// Legacy (HMAC) checkpoints are not authenticated: anyone who could read the key beside the database
    /// could make one. Their heads are still held against the chain.
    /// </summary>
    public static IReadOnlyList<AuditFinding> Check(IReadOnlyList<AuditEntry> entries, IEnumerable<AuditCheckpoint> checkpoints, Func<string, string?, string?, bool> verify)
    {
        var findings = new List<AuditFinding>();
        var bySequence = ToMap(entries);
        var last = entries.Count == 0 ? 0 : entries.Max(e => e.Sequence);
        var seen = new HashSet<(long, string)>();
        foreach (var checkpoint in checkpoints.OrderBy(c => c.Id))
        {
            var when = $"{DateTime.SpecifyKind(checkpoint.At, DateTimeKind.Utc):yyyy-MM-dd HH:mm:ss} UTC";
            if (!checkpoint.IsLegacy)
            {
                if (!verify(checkpoint.Message, checkpoint.KeyId, checkpoint.Signature))
                {
                    findings.Add(new AuditFinding(checkpoint.Sequence, $"The checkpoint of {when} for entry {checkpoint.Sequence} is not authentic: it is not signed by any recorded key (forged or altered)."));
                    continue;
                }

                if (checkpoint.PreviousSequence is { } previous && !seen.Contains((previous, checkpoint.PreviousHash ?? "")))
                {
                    findings.Add(new AuditFinding(checkpoint.Sequence, $"The checkpoint of {when} follows a checkpoint for entry {previous} that is missing: checkpoints were deleted or the checkpoint chain is broken."));
                }
                else if (checkpoint.PreviousSequence > checkpoint.Sequence)
                {
                    findings.Add(new AuditFinding(checkpoint.Sequence, $"The checkpoint of {when} vouches for entry {checkpoint.Sequence}, before its previous checkpoint's entry {checkpoint.PreviousSequence}: the checkpoint chain is broken."));
                }
            }

            seen.Add((checkpoint.Sequence, checkpoint.Hash));
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

    /// <summary>
    /// The recorded keys must form one line: the first has no predecessor, each later one names the key
    /// before it and is endorsed by it (or says that key was lost, which is reported: nothing vouches for it).
    /// </summary>
    public static IReadOnlyList<AuditFinding> CheckKeys(IReadOnlyList<AuditSigningKey> keys, Func<string, string?, string?, bool> verify)
    {
        var findings = new List<AuditFinding>();
        AuditSigningKey? previous = null;
        foreach (var key in keys.OrderBy(k => k.Id))
        {
            if (previous is null ? key.PreviousKeyId is not null : key.PreviousKeyId != previous.KeyId)
            {
                findings.Add(new AuditFinding(null, $"The signing key {key.KeyId} does not follow the key recorded before it: the key list was altered."));
            }
            else if (previous is not null && key.PreviousLost)
            {
                findings.Add(new AuditFinding(null, $"The signing key {key.KeyId} replaced {previous.KeyId} after it was recorded as lost ({DateTime.SpecifyKind(key.CreatedAt, DateTimeKind.Utc):yyyy-MM-dd HH:mm} UTC): nothing but that event vouches for it.", Notice: true));
            }
            else if (previous is not null && !verify(key.EndorsedMessage, previous.KeyId, key.Endorsement))
            {
                findings.Add(new AuditFinding(null, $"The signing key {key.KeyId} is not endorsed by the key before it ({previous.KeyId}): it was slipped in."));
            }

            previous = key;
        }

        return findings;
    }

    private static Dictionary<long, AuditEntry> ToMap(IReadOnlyList<AuditEntry> entries)
    {
        var bySequence = new Dictionary<long, AuditEntry>();
        foreach (var entry in entries)
        {
            bySequence.TryAdd(entry.Sequence, entry);
        }

        return bySequence;
    }
}
