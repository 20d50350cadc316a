using System.Reflection;
using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using ContentPortal.Web.Publishing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ContentPortal.Web.Seeding;

/// <summary>
/// <c>copy-database --from "Data Source=old.db"</c>: copies a whole SQLite portal database into the configured
/// (empty) PostgreSQL one — every table of the model, rows as stored (ids, times, hashes, snapshot bytes) —
/// then verifies the audit chain and every signature on the target and prints the counts.
/// How a team that started on SQLite moves to the scale-out store (docs/operations.md).
/// </summary>
public static class CopyDatabaseCommand
{
    public const string Name = "copy-database";

    private const int BatchSize = 500;

    public static async Task<int> RunAsync(IServiceProvider services, IConfiguration configuration, string[] args)
    {
        var from = ArgumentAfter(args, "--from");
        if (string.IsNullOrWhiteSpace(from))
        {
            Console.Error.WriteLine("Usage: copy-database --from \"Data Source=/path/to/contentportal.db\"  (the target is the configured PostgreSQL database)");
            return 2;
        }

        if (Database.ProviderFrom(configuration) != DatabaseProvider.PostgreSQL)
        {
            Console.Error.WriteLine("copy-database writes into PostgreSQL: set Database:Provider=PostgreSQL and ConnectionStrings:Default to the target.");
            return 2;
        }

        var sourcePath = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(from).DataSource;
        if (!File.Exists(sourcePath))
        {
            Console.Error.WriteLine($"copy-database: no SQLite database at {sourcePath}.");
            return 2;
        }

        var sourceOptions = new DbContextOptionsBuilder<PortalDbContext>()
            .UseSqlite(from, sqlite => sqlite.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery))
            .Options;
        await using var source = new PortalDbContext(sourceOptions);
        if ((await source.Database.GetPendingMigrationsAsync()).Any())
        {
            Console.Error.WriteLine("copy-database: the SQLite database is not at this version's schema; start this version of the portal on it once (it migrates), then copy.");
            return 2;
        }

        await using var scope = services.CreateAsyncScope();
        var target = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        try
        {
            await Database.MigrateAsync(target);
        }
        catch (Exception exception) when (Database.IsUnavailable(exception))
        {
            Console.Error.WriteLine($"copy-database: the PostgreSQL database could not be reached: {exception.GetBaseException().Message}");
            return 3;
        }

        // The start-up on an empty target recorded its audit signing key (one audit line): that alone is still empty.
        if (await target.Users.AnyAsync() || await target.Documents.AnyAsync() || await target.AuditTrail.AnyAsync(e => e.Action != AuditKeyActions.KeyCreated))
        {
            Console.Error.WriteLine("copy-database: the target database is not empty (it has users, documents or audit entries); copy into a new, empty database.");
            return 1;
        }


        var copy = typeof(CopyDatabaseCommand).GetMethod(nameof(CopyAsync), BindingFlags.NonPublic | BindingFlags.Static)!;
        var counts = new List<(string Table, int Rows)>();
        // All or nothing: a copy that fails half-way leaves the target as it was.
        await using (var transaction = await target.Database.BeginTransactionAsync())
        {
            // A start-up on the empty target created roles and a Data Protection key; the source's replace them
            // (so logins and forms of the old portal stay valid). Restart instances already running on the target.
            await target.Roles.ExecuteDeleteAsync();
            await target.DataProtectionKeys.ExecuteDeleteAsync();
            // Likewise its audit signing key's record; the source's keys come across (give the target the source's key file).
            await target.AuditCheckpoints.ExecuteDeleteAsync();
            await target.AuditSigningKeys.ExecuteDeleteAsync();
            await target.AuditTrail.ExecuteDeleteAsync();
            foreach (var entityType in InDependencyOrder(target.Model))
            {
                var task = (Task<int>)copy.MakeGenericMethod(entityType.ClrType).Invoke(null, [source, target])!;
                counts.Add((entityType.GetTableName() ?? entityType.ClrType.Name, await task));
            }

            counts.Add(("SnapshotEntries", await CopyManifestRowsAsync(source, target)));
            await ResetIdentitySequencesAsync(target);
            await transaction.CommitAsync();
        }

        await Database.AnalyzeAfterBulkLoadAsync(target);
        foreach (var (table, rows) in counts)
        {
            Console.WriteLine($"  {table,-28} {rows,8}");
        }

        return await VerifyAsync(target) ? 0 : 1;
    }

    /// <summary>
    /// Every root table of the model, principals before dependents. Owned rows (flags, approvals, snapshot
    /// entries…) travel with their owner.
    /// </summary>
    internal static IReadOnlyList<IEntityType> InDependencyOrder(IModel model)
    {
        var roots = model.GetEntityTypes().Where(t => !t.IsOwned() && t.ClrType != typeof(Dictionary<string, object>)).ToList();
        var ordered = new List<IEntityType>();
        var visiting = new HashSet<IEntityType>();
        void Visit(IEntityType type)
        {
            if (ordered.Contains(type) || !visiting.Add(type))
            {
                return;
            }

            foreach (var principal in type.GetForeignKeys().Select(fk => fk.PrincipalEntityType).Where(p => p != type && roots.Contains(p)))
            {
                Visit(principal);
            }

            ordered.Add(type);
        }

        roots.OrderBy(t => t.GetTableName(), StringComparer.Ordinal).ToList().ForEach(Visit);
        return ordered;
    }

    private static async Task<int> CopyAsync<T>(PortalDbContext source, PortalDbContext target)
        where T : class
    {
        var count = 0;
        var batch = new List<T>(BatchSize);
        // No tracking and no auto-includes: each table is copied once, as itself (owned rows come with it).
        await foreach (var row in source.Set<T>().AsNoTracking().IgnoreAutoIncludes().AsAsyncEnumerable())
        {
            batch.Add(row);
            if (batch.Count == BatchSize)
            {
                count += await SaveAsync(target, batch);
            }
        }

        return count + await SaveAsync(target, batch);
    }

    /// <summary>
    /// Snapshot manifests, row for row with their ranges (<see cref="PortalDbContext.UntilSnapshot"/>): a
    /// loaded snapshot does not carry its manifest, so the rows are read and written as rows.
    /// </summary>
    private static async Task<int> CopyManifestRowsAsync(PortalDbContext source, PortalDbContext target)
    {
        var count = 0;
        var rows = source.Snapshots.AsNoTracking().SelectMany(s => s.Entries).OrderBy(e => EF.Property<int>(e, "Id"))
            .Select(e => new
            {
                SnapshotId = EF.Property<int>(e, "SnapshotId"), e.DocumentId, e.VersionId, e.VersionNumber, e.Kind, e.Slug, e.Title, e.PeriodicReviews, e.ReviewOverdue,
                Until = EF.Property<int?>(e, PortalDbContext.UntilSnapshot),
            });
        await foreach (var chunk in rows.AsAsyncEnumerable().Chunk(BatchSize))
        {
            count += await target.InsertManifestRowsAsync(chunk.Select(row => new ManifestRow(
                row.SnapshotId, new SnapshotEntry(row.DocumentId, row.VersionId, row.VersionNumber, row.Kind, row.Slug, row.Title, row.PeriodicReviews, row.ReviewOverdue), row.Until)));
        }

        return count;
    }

    private static async Task<int> SaveAsync<T>(PortalDbContext target, List<T> batch)
        where T : class
    {
        if (batch.Count == 0)
        {
            return 0;
        }

        target.Set<T>().AddRange(batch);
        await target.SaveChangesAsync();
        target.ChangeTracker.Clear();
        var saved = batch.Count;
        batch.Clear();
        return saved;
    }

    /// <summary>Rows were inserted with their own ids; the identity sequences continue after the highest.</summary>
    private static async Task ResetIdentitySequencesAsync(PortalDbContext target)
    {
        foreach (var entityType in target.Model.GetEntityTypes())
        {
            var key = entityType.FindPrimaryKey();
            if (key is not { Properties: [var id] } || id.ClrType != typeof(int) && id.ClrType != typeof(long) || id.ValueGenerated != ValueGenerated.OnAdd || entityType.GetTableName() is not { } table)
            {
                continue;
            }

            var column = id.GetColumnName();
            // Identifiers come from our own model, never from input.
#pragma warning disable EF1002
            await target.Database.ExecuteSqlRawAsync(
                $"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), COALESCE((SELECT MAX(\"{column}\") FROM \"{table}\"), 0) + 1, false)");
#pragma warning restore EF1002
        }
    }

    private static async Task<bool> VerifyAsync(PortalDbContext target)
    {
        var entries = await target.AuditTrail.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
        var broken = AuditChain.Verify(entries);
        if (broken is not null)
        {
            Console.Error.WriteLine($"Audit trail BROKEN on the target at entry {broken.Sequence}: {broken.Reason}");
            return false;
        }

        var signed = 0;
        var failed = new List<string>();
        await foreach (var version in target.Versions.AsNoTracking().Where(v => v.Approvals.Any()).AsAsyncEnumerable())
        {
            signed++;
            if (!version.SignaturesVerify())
            {
                failed.Add($"{version.DocumentId} v{version.Number}");
            }
        }

        if (failed.Count > 0)
        {
            Console.Error.WriteLine($"Signatures that do not match their version's content on the target: {string.Join(", ", failed)}");
            return false;
        }

        Console.WriteLine($"Copied and verified: audit trail intact ({entries.Count} entries, last hash {entries.LastOrDefault()?.Hash ?? AuditEntry.GenesisHash}); {signed} signed versions, every signature matches its content.");
        return true;
    }

    private static string? ArgumentAfter(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
