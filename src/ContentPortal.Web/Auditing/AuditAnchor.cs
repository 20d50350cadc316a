using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Auditing;

/// <summary>Why the portal will not start: the signing key does not fit the signed history.</summary>
public sealed class AuditKeyRefusedException(string message) : Exception(message);

/// <summary>
/// Signed checkpoints over the audit chain's head (see <see cref="AuditCheckpoint"/>), the snapshot heads'
/// signatures, and the full check an auditor runs with the recorded public keys alone. The private key is a
/// PEM file (<c>Audit:SigningKeyPath</c>, by default in the user's configuration folder, never beside the
/// database), made with mode 0600 only on the first start of an empty audit history. Keep it out of the
/// database backups' reach and back it up apart.
/// </summary>
public sealed class AuditAnchor(IConfiguration configuration, IWebHostEnvironment environment, ILogger<AuditAnchor> logger) : IDisposable
{
    private readonly Lock gate = new();
    private ECDsa? signingKey;
    private string? signingKeyId;

    public string KeyPath { get; } = configuration["Audit:SigningKeyPath"] is { Length: > 0 } configured
        ? Path.GetFullPath(configured, environment.ContentRootPath)
        : DefaultKeyPath;

    /// <summary>Outside the content root and the database folder: the user's configuration folder.</summary>
    public static string DefaultKeyPath => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify), "ContentPortal", "audit-signing.pem");

    /// <summary>Why signing stopped (a head that does not follow the last good anchor), or null while it works.</summary>
    public string? Halted { get; private set; }

    /// <summary>The key's <c>kid</c> once <see cref="EnsureSigningKeyAsync"/> ran.</summary>
    public string KeyId => signingKeyId ?? throw new InvalidOperationException("The audit signing key is not loaded: the portal did not start through Program.");

    /// <summary>A detached JWS over <paramref name="payload"/> with the signing key.</summary>
    public string Sign(ReadOnlySpan<byte> payload)
    {
        var key = signingKey ?? throw new InvalidOperationException("The audit signing key is not loaded: the portal did not start through Program.");
        return Es256.SignDetached(key, KeyId, payload);
    }

    public string Sign(string message) => Sign(Encoding.UTF8.GetBytes(message));

    /// <summary>A detached JWS over a feed answer's identity bytes, given as pieces.</summary>
    public string Sign(IReadOnlyList<ReadOnlyMemory<byte>> pieces)
    {
        var key = signingKey ?? throw new InvalidOperationException("The audit signing key is not loaded: the portal did not start through Program.");
        return Es256.SignDetached(key, KeyId, pieces);
    }

    /// <summary>
    /// At start (under the migration lock): loads the key and checks it is one of the recorded keys.
    /// Refuses (<see cref="AuditKeyRefusedException"/>) when the history is signed and the key is missing or
    /// foreign. A new key is made only when nothing was ever signed with one: an empty audit trail, or the
    /// upgrade from HMAC checkpoints; that is recorded in the chain and anchored by a first checkpoint.
    /// </summary>
    public async Task EnsureSigningKeyAsync(PortalDbContext db, DateTime now, CancellationToken cancellationToken = default)
    {
        var recorded = await db.AuditSigningKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync(cancellationToken);
        var signed = await db.AuditCheckpoints.CountAsync(c => c.KeyId != null, cancellationToken);
        if (File.Exists(KeyPath))
        {
            var key = ReadKey(KeyPath);
            var keyId = Es256.Thumbprint(key);
            if (recorded.Count > 0 && recorded[^1].KeyId != keyId)
            {
                key.Dispose();
                throw new AuditKeyRefusedException(recorded.Any(k => k.KeyId == keyId)
                    ? $"The audit signing key {KeyPath} (kid {keyId}) was replaced by {recorded[^1].KeyId} with rotate-audit-key. Put the current key file back."
                    : $"The audit signing key {KeyPath} (kid {keyId}) is not one of the keys this audit trail was signed with ({string.Join(", ", recorded.Select(k => k.KeyId))}). Put the right key file back, or run rotate-audit-key to record a new one.");
            }

            if (recorded.Count == 0 && signed > 0)
            {
                key.Dispose();
                throw new AuditKeyRefusedException($"The database holds {signed} signed audit checkpoints but no signing keys: the key list was deleted. Restore the database from a backup.");
            }

            Use(key, keyId);
            if (recorded.Count == 0)
            {
                await RecordFirstKeyAsync(db, key, now, "the existing key file was recorded", cancellationToken);
            }

            return;
        }

        if (recorded.Count > 0 || signed > 0)
        {
            throw new AuditKeyRefusedException($"The audit signing key {KeyPath} is missing, but the audit trail is signed with {(recorded.Count > 0 ? recorded[^1].KeyId : "a key")}. Restore the key file from its backup (or set Audit:SigningKeyPath), or run rotate-audit-key --key-lost to record that it was lost and make a new one.");
        }

        var upgrade = await db.AuditCheckpoints.AnyAsync(cancellationToken);
        if (!upgrade && await db.AuditTrail.AnyAsync(cancellationToken))
        {
            throw new AuditKeyRefusedException($"The audit signing key {KeyPath} is missing and the audit trail already has entries, so a new key would be made silently. Restore the key file, or run rotate-audit-key --key-lost to make one on the record.");
        }

        var created = CreateKeyFile(KeyPath);
        Use(created, Es256.Thumbprint(created));
        await RecordFirstKeyAsync(db, created, now, upgrade ? "made at the upgrade from HMAC checkpoints" : "made at the first start", cancellationToken);
    }

    /// <summary>Records <paramref name="key"/> as the first key, with an audit line, and signs a first checkpoint.</summary>
    private async Task RecordFirstKeyAsync(PortalDbContext db, ECDsa key, DateTime now, string how, CancellationToken cancellationToken)
    {
        await BackfillSnapshotHeadsAsync(db, cancellationToken);
        var (x, y) = Es256.PublicPoint(key);
        var keyId = Es256.Thumbprint(x, y);
        db.AuditSigningKeys.Add(AuditSigningKey.First(keyId, x, y, now));
        db.Record(new AuditRecord(now, "system", "ContentPortal", AuditKeyActions.KeyCreated, $"audit-key:{keyId}", $"The audit signing key {keyId} was {how}; its private key is {KeyPath}."));
        await db.SaveChangesAsync(cancellationToken);
        logger.LogWarning("Audit signing key {KeyId} {How}: {Path}. Back it up apart from the database.", keyId, how, KeyPath);
        await SignNewestAsync(db, now, "signing key recorded", cancellationToken);
    }

    /// <summary>
    /// Once, when the first key is recorded (the upgrade): a snapshot published before heads were recorded
    /// gets the newest entry written by its publish time, marked as filled in (its feed never carried it).
    /// Never later: a head nulled afterwards is tampering, reported by verify, not quietly refilled.
    /// </summary>
    private static async Task BackfillSnapshotHeadsAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var missing = await db.Snapshots.AsNoTracking().Where(s => s.AuditHeadSequence == null).Select(s => new { s.Id, s.PublishedAt }).ToListAsync(cancellationToken);
        foreach (var snapshot in missing)
        {
            var head = await db.AuditTrail.AsNoTracking().Where(e => e.At <= snapshot.PublishedAt).OrderByDescending(e => e.Sequence)
                .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(cancellationToken);
            await db.Snapshots.Where(s => s.Id == snapshot.Id).ExecuteUpdateAsync(set => set
                .SetProperty(s => s.AuditHeadSequence, head == null ? 0 : head.Sequence)
                .SetProperty(s => s.AuditHeadHash, head == null ? AuditEntry.GenesisHash : head.Hash)
                .SetProperty(s => s.AuditHeadBackfilled, true), cancellationToken);
        }
    }

    /// <summary>
    /// Records a new key (<c>rotate-audit-key</c>): endorsed by the current key when its file is there, else a
    /// loud "key lost" line. The old file is kept beside the new one, renamed with its kid.
    /// </summary>
    public async Task<AuditSigningKey> RotateAsync(PortalDbContext db, DateTime now, bool keyLost, CancellationToken cancellationToken = default)
    {
        var recorded = await db.AuditSigningKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync(cancellationToken);
        ECDsa? old = File.Exists(KeyPath) ? ReadKey(KeyPath) : null;
        if (old is not null && recorded.Count > 0 && Es256.Thumbprint(old) != recorded[^1].KeyId)
        {
            throw new AuditKeyRefusedException($"The key file {KeyPath} is not the current audit signing key {recorded[^1].KeyId}: put the current key back before rotating, or move this file away and use --key-lost.");
        }

        if (old is null && !keyLost)
        {
            throw new AuditKeyRefusedException($"The audit signing key {KeyPath} is missing. If it is truly lost, run rotate-audit-key --key-lost: the loss is recorded in the audit trail and verify reports it.");
        }

        if (old is not null)
        {
            File.Move(KeyPath, KeyPath + "." + Es256.Thumbprint(old) + ".retired", overwrite: true);
        }

        var created = CreateKeyFile(KeyPath);
        var (x, y) = Es256.PublicPoint(created);
        var keyId = Es256.Thumbprint(x, y);
        var key = recorded.Count == 0
            ? AuditSigningKey.First(keyId, x, y, now)
            : AuditSigningKey.After(recorded[^1], keyId, x, y, now, old is null ? null : message => Es256.SignDetached(old, recorded[^1].KeyId, message));
        db.AuditSigningKeys.Add(key);
        db.Record(old is null && recorded.Count > 0
            ? new AuditRecord(now, "system", "ContentPortal", AuditKeyActions.KeyLost, $"audit-key:{keyId}", $"The audit signing key {recorded[^1].KeyId} was declared LOST; {keyId} replaces it without its endorsement. Checkpoints signed since the loss cannot be tied to the earlier ones.")
            : new AuditRecord(now, "system", "ContentPortal", AuditKeyActions.KeyRotated, $"audit-key:{keyId}", $"The audit signing key {keyId} replaces {(recorded.Count > 0 ? recorded[^1].KeyId : "no earlier key")}{(old is null ? "" : ", endorsed by it")}."));
        await db.SaveChangesAsync(cancellationToken);
        old?.Dispose();
        Use(created, keyId);
        await SignNewestAsync(db, now, "signing key rotated", cancellationToken);
        return key;
    }

    private void Use(ECDsa key, string keyId)
    {
        lock (gate)
        {
            signingKey?.Dispose();
            signingKey = key;
            signingKeyId = keyId;
        }
    }

    private static ECDsa ReadKey(string path)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
        }
        catch (ArgumentException exception)
        {
            key.Dispose();
            throw new AuditKeyRefusedException($"The audit signing key {path} is not a PEM EC private key: {exception.Message}");
        }

        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new AuditKeyRefusedException($"The audit signing key {path} is not a P-256 key (ES256).");
        }

        return key;
    }

    /// <summary>A new P-256 key, written aside with mode 0600 and moved into place, so two instances starting together agree on one key.</summary>
    private static ECDsa CreateKeyFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created 0600: never readable by anyone else, not even for a moment.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(temporary, options))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(key.ExportPkcs8PrivateKeyPem());
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            key.Dispose();
            return ReadKey(path);
        }
    }

    /// <summary>
    /// Writes a signed checkpoint over the current chain head (its own small save; it changes no audited
    /// state), linked to the previous checkpoint, after checking that the head follows from the last good
    /// anchor. A head that does not is never signed: signing stops (<see cref="Halted"/>) and null is returned.
    /// </summary>
    public async Task<AuditCheckpoint?> WriteAsync(PortalDbContext db, DateTime at, string reason, CancellationToken cancellationToken = default)
    {
        var head = await HeadAsync(db, cancellationToken);
        if (head is null)
        {
            return null;
        }

        return await SignHeadAsync(db, head.Value, at, reason, cancellationToken);
    }

    private async Task<AuditCheckpoint> SignHeadAsync(PortalDbContext db, (long Sequence, string Hash) head, DateTime at, string reason, CancellationToken cancellationToken)
    {
        var previous = await db.AuditCheckpoints.AsNoTracking().OrderByDescending(c => c.Id).FirstOrDefaultAsync(cancellationToken);
        var checkpoint = AuditCheckpoint.Signed(head.Sequence, head.Hash, at, reason, previous, KeyId, Sign);
        db.AuditCheckpoints.Add(checkpoint);
        await db.SaveChangesAsync(cancellationToken);
        return checkpoint;
    }

    /// <summary>A key's first checkpoint, over the newest entry (its own "key recorded" line), without the continuity check: nothing was signed with this key yet.</summary>
    private async Task SignNewestAsync(PortalDbContext db, DateTime at, string reason, CancellationToken cancellationToken)
    {
        var newest = await db.AuditTrail.AsNoTracking().OrderByDescending(e => e.Sequence).Select(e => new { e.Sequence, e.Hash }).FirstAsync(cancellationToken);
        await SignHeadAsync(db, (newest.Sequence, newest.Hash), at, reason, cancellationToken);
    }

    /// <summary>Signs the chain head into a snapshot being prepared (its head goes into the sealed feed); refused while signing is halted.</summary>
    public async Task AnchorAsync(PortalDbContext db, Snapshot snapshot, DateTime at, CancellationToken cancellationToken = default)
    {
        var head = await HeadAsync(db, cancellationToken)
            ?? throw new RefusedException("Publishing is stopped: the audit trail does not follow from its last signed checkpoint. An administrator must check the Audit page first.");
        snapshot.AnchorTo(head.Sequence, head.Hash, at, KeyId, Sign);
    }

    /// <summary>
    /// The chain's head when it follows, entry by entry, from the newest anchor that still verifies (signed
    /// checkpoint or snapshot head); else null, with <see cref="Halted"/> set, an error logged, and no more signing.
    /// </summary>
    private async Task<(long Sequence, string Hash)?> HeadAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        if (Halted is not null)
        {
            return null;
        }

        var keys = await db.AuditSigningKeys.AsNoTracking().ToListAsync(cancellationToken);
        using var ring = new AuditKeyRing(keys);
        var checkpoints = await db.AuditCheckpoints.AsNoTracking().Where(c => c.KeyId != null).OrderByDescending(c => c.Id).Take(20).ToListAsync(cancellationToken);
        var snapshots = await db.Snapshots.AsNoTracking().Where(s => s.AuditHeadSignature != null).OrderByDescending(s => s.Id).Take(5)
            .Select(s => new { s.AuditHeadSequence, s.AuditHeadHash, s.AuditHeadSignedAt, s.AuditHeadKeyId, s.AuditHeadSignature }).ToListAsync(cancellationToken);
        var anchors = checkpoints.Where(c => ring.Verify(c.Message, c.KeyId, c.Signature)).Select(c => (c.Sequence, c.Hash))
            .Concat(snapshots.Where(s => ring.Verify(AuditHead.Message(s.AuditHeadSequence!.Value, s.AuditHeadHash!, s.AuditHeadSignedAt!.Value), s.AuditHeadKeyId, s.AuditHeadSignature))
                .Select(s => (s.AuditHeadSequence!.Value, s.AuditHeadHash!)))
            .OrderByDescending(a => a.Item1).ToList();
        string? problem = null;
        (long Sequence, string Hash) anchor = (0, AuditEntry.GenesisHash);
        if (anchors.Count > 0)
        {
            anchor = anchors[0];
        }
        else if (checkpoints.Count > 0)
        {
            problem = "none of the newest signed checkpoints is signed by a recorded key";
        }
        else if (keys.Count > 0)
        {
            // Each key signs a checkpoint when it is recorded: none left means they were deleted.
            problem = "a signing key is recorded but every signed checkpoint is gone";
        }

        var entries = await db.AuditTrail.AsNoTracking().Where(e => e.Sequence >= anchor.Sequence).OrderBy(e => e.Sequence).ToListAsync(cancellationToken);
        problem ??= Follows(anchor, entries);
        if (problem is null)
        {
            return entries.Count == 0 ? anchor : (entries[^1].Sequence, entries[^1].Hash);
        }

        Halted = $"Audit signing stopped: {problem}. Nothing more is signed until the trail is checked (Verify the chain) and the portal restarted.";
        logger.LogError("{Halted}", Halted);
        return null;
    }

    /// <summary>Null when <paramref name="entries"/> (from the anchor's entry on) chain from the anchor; else what is wrong.</summary>
    private static string? Follows((long Sequence, string Hash) anchor, IReadOnlyList<AuditEntry> entries)
    {
        var previous = anchor;
        foreach (var entry in entries)
        {
            if (entry.Sequence == anchor.Sequence)
            {
                if (entry.Hash != anchor.Hash || entry.Hash != entry.ComputeHash())
                {
                    return $"entry {entry.Sequence} no longer has the hash its signed checkpoint vouches for";
                }

                continue;
            }

            if (entry.Sequence != previous.Sequence + 1 || entry.PreviousHash != previous.Hash || entry.Hash != entry.ComputeHash())
            {
                return $"entry {entry.Sequence} does not follow from entry {previous.Sequence}, signed at the last good checkpoint";
            }

            previous = (entry.Sequence, entry.Hash);
        }

        if (anchor.Sequence > 0 && (entries.Count == 0 || entries[0].Sequence != anchor.Sequence))
        {
            return $"entry {anchor.Sequence}, vouched for by the last good checkpoint, is gone";
        }

        return null;
    }

    /// <summary>The whole check, with the recorded public keys alone: unreadable rows, the hash chain, the keys, every checkpoint and every snapshot head.</summary>
    public async Task<AuditReport> VerifyAsync(PortalDbContext db, CancellationToken cancellationToken = default)
    {
        var (entries, unreadable) = await ReadRowsAsync(db, cancellationToken);
        var findings = new List<AuditFinding>(unreadable);
        if (AuditChain.Verify(entries) is { } broken)
        {
            findings.Add(new AuditFinding(broken.Sequence, $"The chain is broken at entry {broken.Sequence}. {broken.Reason}"));
        }

        var keys = await db.AuditSigningKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync(cancellationToken);
        using var ring = new AuditKeyRing(keys);
        findings.AddRange(AuditAnchors.CheckKeys(keys, ring.Verify));
        if (File.Exists(KeyPath))
        {
            // The key this installation signs with must be the newest recorded one (else the key list was swapped).
            using var own = ReadKey(KeyPath);
            var ownId = Es256.Thumbprint(own);
            if (keys.Count == 0 || keys[^1].KeyId != ownId)
            {
                findings.Add(new AuditFinding(null, $"This installation signs with key {ownId}, but the newest recorded key is {(keys.Count == 0 ? "none" : keys[^1].KeyId)}: the recorded keys were replaced."));
            }
        }

        var checkpoints = await db.AuditCheckpoints.AsNoTracking().ToListAsync(cancellationToken);
        findings.AddRange(AuditAnchors.Check(entries, checkpoints, ring.Verify));
        foreach (var key in keys.Where(k => !checkpoints.Any(c => c.KeyId == k.KeyId)))
        {
            findings.Add(new AuditFinding(null, $"No checkpoint signed with key {key.KeyId} is left (each key signs one when it is recorded): checkpoints were deleted."));
        }

        var heads = await db.Snapshots.AsNoTracking()
            .Select(s => new SnapshotHead(s.Id, s.AuditHeadSequence, s.AuditHeadHash, s.AuditHeadSignedAt, s.AuditHeadKeyId, s.AuditHeadSignature)).ToListAsync(cancellationToken);
        findings.AddRange(AuditAnchors.CheckSnapshotHeads(entries, heads, ring.Verify));
        var latest = checkpoints.Where(c => !c.IsLegacy).MaxBy(c => c.Sequence);
        return new AuditReport(entries.Count + unreadable.Count, checkpoints.Count, checkpoints.Count(c => c.IsLegacy), latest, findings);
    }

    public void Dispose() => signingKey?.Dispose();

    /// <summary>
    /// Reads the trail row by row with plain ADO.NET: a row whose time or number no longer parses is
    /// reported as unreadable instead of stopping the whole check (EF would throw on it).
    /// </summary>
    public static async Task<(List<AuditEntry> Entries, List<AuditFinding> Unreadable)> ReadRowsAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var type = db.Model.FindEntityType(typeof(AuditEntry))!;
        string[] properties = [nameof(AuditEntry.Sequence), nameof(AuditEntry.At), nameof(AuditEntry.ActorId), nameof(AuditEntry.ActorName), nameof(AuditEntry.Action), nameof(AuditEntry.Subject), nameof(AuditEntry.Details), nameof(AuditEntry.PreviousHash), nameof(AuditEntry.Hash)];
        var columns = properties.Select(p => "\"" + type.FindProperty(p)!.GetColumnName() + "\"").ToList();
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }

        var entries = new List<AuditEntry>();
        var unreadable = new List<AuditFinding>();
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {string.Join(", ", columns)} FROM \"{type.GetTableName()}\" ORDER BY {columns[0]}";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var row = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                row++;
                var raw = Enumerable.Range(0, properties.Length).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i)).ToArray();
                if (Parse(raw) is { } entry)
                {
                    entries.Add(entry);
                }
                else
                {
                    var sequence = raw[0] is long or int ? Convert.ToInt64(raw[0], CultureInfo.InvariantCulture) : (long?)null;
                    unreadable.Add(new AuditFinding(sequence, $"Row {row} (entry {sequence?.ToString(CultureInfo.InvariantCulture) ?? "?"}) cannot be read: a stored value does not parse (time {Shorten(raw[1])})."));
                }
            }
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }

        return (entries, unreadable);
    }

    private static AuditEntry? Parse(object?[] raw)
    {
        if (raw[0] is not (long or int) || raw.Skip(2).Any(v => v is not string))
        {
            return null;
        }

        DateTime at;
        switch (raw[1])
        {
            case DateTime stored:
                at = stored;
                break;
            case string text when DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed):
                at = DateTime.SpecifyKind(parsed, DateTimeKind.Utc);
                break;
            default:
                return null;
        }

        var s = raw.Skip(2).Cast<string>().ToArray();
        return AuditEntry.Stored(Convert.ToInt64(raw[0], CultureInfo.InvariantCulture), at, s[0], s[1], s[2], s[3], s[4], s[5], s[6]);
    }

    private static string Shorten(object? value) => value switch
    {
        null => "empty",
        _ => "\"" + (value.ToString() is { Length: > 40 } t ? t[..40] + "…" : value.ToString()) + "\"",
    };
}

/// <summary>What verification found: entries and checkpoints read, the latest checkpoint, and every problem.</summary>
/// <param name="LegacyCheckpoints">HMAC checkpoints of before issue 25: their heads are checked, their MACs are not (symmetric: not proof).</param>
public sealed record AuditReport(int Entries, int Checkpoints, int LegacyCheckpoints, AuditCheckpoint? Latest, IReadOnlyList<AuditFinding> Findings)
{
    public bool Intact => Findings.All(f => f.Notice);
}

/// <summary>Writes a signed checkpoint every <c>Audit:CheckpointMinutes</c> (default 60) when the chain has grown since the last one.</summary>
public sealed class AuditCheckpointer(IServiceScopeFactory scopes, AuditAnchor anchor, IConfiguration configuration, TimeProvider clock, ILogger<AuditCheckpointer> logger)
    : PollingService(configuration, "Audit", 60 * configuration.GetValue("Audit:CheckpointMinutes", 60.0), clock, logger)
{
    public Task<int> CheckpointAsync(CancellationToken cancellationToken) => RunRoundAsync(cancellationToken);

    protected override async Task<int> RoundAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var head = await db.AuditTrail.AsNoTracking().MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;
        var anchored = await db.AuditCheckpoints.AsNoTracking().MaxAsync(c => (long?)c.Sequence, cancellationToken) ?? -1;
        if (head == anchored)
        {
            return 0;
        }

        // A head that does not follow from the last good checkpoint is never signed (the anchor stops signing).
        return await anchor.WriteAsync(db, Clock.GetUtcNow().UtcDateTime, "periodic", cancellationToken) is null ? 0 : 1;
    }
}
