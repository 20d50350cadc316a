using ContentPortal.Web.Data;
using ContentPortal.Web.Publishing;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ContentPortal.Web.Tests.Data;

/// <summary>
/// The ManifestRanges migration on the test's store: going back gives every snapshot its whole manifest as
/// rows of its own (as older portals stored it); coming forward again reads the same manifests through the ranges.
/// </summary>
public class ManifestRangesMigrationTests
{
    [Fact]
    public async Task Down_and_up_keep_every_snapshots_manifest()
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        await app.ApproveNewVersionAsync("lower-back-pain-when-lying-down", c => c with { Summary = "Second snapshot." });
        await app.PublishAsync("Second");
        await app.RetireAsync("spinal-tumor");
        await app.PublishAsync("Third");
        var before = await ManifestsAsync(app, (db, id) => db.ManifestOf(id));
        Assert.Equal(3, before.Count);
        Assert.NotEqual(before[1], before[2]);

        await app.WithDbAsync(async db =>
        {
            var migrations = db.Database.GetMigrations().ToList();
            var ranges = migrations.FindIndex(m => m.EndsWith("_ManifestRanges", StringComparison.Ordinal));
            await db.GetService<IMigrator>().MigrateAsync(migrations[ranges - 1]);
        });

        // As an older portal stored them: each snapshot's rows are its whole manifest.
        var expanded = await ManifestsAsync(app, (db, id) => db.Snapshots.AsNoTracking().Where(s => s.Id == id).SelectMany(s => s.Entries));
        Assert.Equal(before, expanded);

        await app.WithDbAsync(db => db.GetService<IMigrator>().MigrateAsync());

        Assert.Equal(before, await ManifestsAsync(app, (db, id) => db.ManifestOf(id)));
        // The newest snapshot's rows are the open ones, which the next publish builds on.
        var open = await app.WithDbAsync(db => db.CurrentManifest().Select(e => new { e.DocumentId, e.VersionId }).ToListAsync());
        Assert.Equal(before[3], Describe(open.Select(e => (e.DocumentId, e.VersionId))));
    }

    [Fact]
    public async Task The_store_refuses_a_second_open_row_for_a_document()
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        var before = await app.WithDbAsync(db => db.CurrentManifest().CountAsync());

        // A copy of an open row, as a faulty publish might write it: same document, still open.
        var refused = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
            """INSERT INTO "SnapshotEntries" ("SnapshotId", "DocumentId", "VersionId", "VersionNumber", "Kind", "Slug", "Title") SELECT "SnapshotId", "DocumentId", "VersionId", "VersionNumber", "Kind", "Slug", "Title" FROM "SnapshotEntries" WHERE "UntilSnapshotId" IS NULL LIMIT 1""")));

        Assert.Contains("unique", refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await app.WithDbAsync(db => db.CurrentManifest().CountAsync()));
    }

    private static Task<Dictionary<int, string>> ManifestsAsync(PortalFactory app, Func<PortalDbContext, int, IQueryable<Domain.SnapshotEntry>> manifest) =>
        app.WithDbAsync(async db =>
        {
            var result = new Dictionary<int, string>();
            foreach (var id in await db.Snapshots.Select(s => s.Id).ToListAsync())
            {
                // Only the columns both schemas have.
                var rows = await manifest(db, id).Select(e => new { e.DocumentId, e.VersionId }).ToListAsync();
                result[id] = Describe(rows.Select(e => (e.DocumentId, e.VersionId)));
            }

            return result;
        });

    private static string Describe(IEnumerable<(Guid DocumentId, Guid VersionId)> rows) =>
        string.Join(",", rows.Select(r => $"{r.DocumentId}={r.VersionId}").Order(StringComparer.Ordinal));
}
