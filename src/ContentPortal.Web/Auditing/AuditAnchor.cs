using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Auditing;

/// <summary>
/// Keyed checkpoints over the audit chain's head (see <see cref="AuditCheckpoint"/>) and the full check an
/// auditor runs. The key is a file (<c>Audit:CheckpointKeyFile</c>, default <c>App_Data/keys/audit-checkpoint.key</c>,
/// 32 random bytes made on first use), never in the database, so it works whichever database and Data
/// Protection key store is configured. Keep it out of database backups' reach and back it up apart.
/// </summary>
public sealed class AuditAnchor
{
    private readonly Lazy<byte[]> key;

    public AuditAnchor(IConfiguration configuration, IWebHostEnvironment environment)
    {
        var path = configuration["Audit:CheckpointKeyFile"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(environment.ContentRootPath, "App_Data", "keys", "audit-checkpoint.key");
        KeyFile = Path.GetFullPath(path, environment.ContentRootPath);
        key = new Lazy<byte[]>(LoadOrCreateKey);
    }

    public string KeyFile { get; }

    public string Mac(string message) => Convert.ToHexStringLower(HMACSHA256.HashData(key.Value, Encoding.UTF8.GetBytes(message)));

    public bool IsAuthentic(AuditCheckpoint checkpoint) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(checkpoint.Message)), Encoding.ASCII.GetBytes(checkpoint.Mac));

    /// <summary>Writes a checkpoint over the current chain head (its own small save; it changes no audited state).</summary>
    public async Task<AuditCheckpoint> WriteAsync(PortalDbContext db, DateTime at, string reason, CancellationToken cancellationToken = default)
    {
        var head = await db.AuditTrail.AsNoTracking().OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(cancellationToken);
        var checkpoint = AuditCheckpoint.Over(head?.Sequence ?? 0, head?.Hash ?? AuditEntry.GenesisHash, at, reason, Mac);
        db.AuditCheckpoints.Add(checkpoint);
        await db.SaveChangesAsync(cancellationToken);
        return checkpoint;
    }

    /// <summary>The whole check: unreadable rows, the hash chain, and every checkpoint against it.</summary>
    public async Task<AuditReport> VerifyAsync(PortalDbContext db, CancellationToken cancellationToken = default)
    {
        var (entries, unreadable) = await ReadRowsAsync(db, cancellationToken);
        var findings = new List<AuditFinding>(unreadable);
        if (AuditChain.Verify(entries) is { } broken)
        {
            findings.Add(new AuditFinding(broken.Sequence, $"The chain is broken at entry {broken.Sequence}. {broken.Reason}"));
        }

        var checkpoints = await db.AuditCheckpoints.AsNoTracking().ToListAsync(cancellationToken);
        findings.AddRange(AuditAnchors.Check(entries, checkpoints, IsAuthentic));
        var heads = await db.Snapshots.AsNoTracking().Where(s => s.AuditHeadSequence != null)
            .Select(s => new { s.Id, Sequence = s.AuditHeadSequence!.Value, Hash = s.AuditHeadHash! }).ToListAsync(cancellationToken);
        findings.AddRange(AuditAnchors.CheckSnapshotHeads(entries, heads.Select(h => (h.Id, h.Sequence, h.Hash))));
        var latest = checkpoints.MaxBy(c => c.Sequence);
        return new AuditReport(entries.Count + unreadable.Count, checkpoints.Count, latest, findings);
    }

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

    private byte[] LoadOrCreateKey()
    {
        if (File.Exists(KeyFile))
        {
            var stored = Convert.FromBase64String(File.ReadAllText(KeyFile).Trim());
            if (stored.Length < 32)
            {
                throw new InvalidOperationException($"The audit checkpoint key {KeyFile} is shorter than 32 bytes.");
            }

            return stored;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(KeyFile)!);
        var key = RandomNumberGenerator.GetBytes(32);
        // Written aside and moved into place, so two instances starting together agree on one key.
        var temporary = KeyFile + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temporary, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        try
        {
            File.Move(temporary, KeyFile, overwrite: false);
        }
        catch (IOException) when (File.Exists(KeyFile))
        {
            File.Delete(temporary);
            return LoadOrCreateKey();
        }

        return key;
    }
}

/// <summary>What verification found: entries and checkpoints read, the latest checkpoint, and every problem.</summary>
public sealed record AuditReport(int Entries, int Checkpoints, AuditCheckpoint? Latest, IReadOnlyList<AuditFinding> Findings)
{
    public bool Intact => Findings.Count == 0;
}

/// <summary>Writes a checkpoint every <c>Audit:CheckpointMinutes</c> (default 60) when the chain has grown since the last one.</summary>
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

        await anchor.WriteAsync(db, Clock.GetUtcNow().UtcDateTime, "periodic", cancellationToken);
        return 1;
    }
}
