using System.Net;
using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Publishing;
using ContentPortal.Web.Seeding;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContentPortal.Web.Tests.Deployment;

/// <summary>
/// <c>copy-database</c>: a team that started on SQLite moves to PostgreSQL with everything — accounts,
/// content, signatures, snapshots with their bytes, the audit trail — verified on the target.
/// </summary>
[Trait("Category", "PostgreSQL")]
public sealed class CopyDatabaseTests
{
    [PostgresFact]
    public async Task Copies_a_whole_sqlite_portal_into_an_empty_postgresql_database_and_verifies_it()
    {
        var sqlite = SqliteTestDatabase.InTempFolder();
        var postgres = PostgresTestDatabase.Create();
        try
        {
            // The SQLite portal as a team leaves it: seeded, changed, published twice, a webhook, a schedule.
            await using (var old = new PortalFactory(new PortalOptions { Database = sqlite }))
            {
                await old.ApproveNewVersionAsync("lower-back-pain-when-lying-down", c => c with { Summary = "Before the move." });
                await old.PublishAsync("Last publish on SQLite");
                using var editor = await old.LoginAsync(PortalFactory.Editor);
            }

            // The target: a new PostgreSQL portal outside Development (migrated, roles only), with the source's audit signing key file.
            var sourceKey = new Dictionary<string, string> { ["Audit:SigningKeyPath"] = PortalFactory.AuditKeyPathOf(sqlite) };
            await using var target = new PortalFactory(new PortalOptions { Database = postgres, Environment = "Production", Settings = sourceKey });
            var configuration = target.Services.GetRequiredService<IConfiguration>();
            var exit = await CopyDatabaseCommand.RunAsync(target.Services, configuration, [CopyDatabaseCommand.Name, "--from", sqlite.ConnectionString]);
            Assert.Equal(0, exit);

            await using var source = new PortalFactory(new PortalOptions { Database = sqlite, Environment = "Production" });
            Assert.Equal(await Facts(source), await Facts(target));
            var chain = await target.WithDbAsync(db => db.AuditTrail.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync());
            Assert.Null(AuditChain.Verify(chain));
            var signed = await target.WithDbAsync(db => db.Versions.AsNoTracking().Where(v => v.Approvals.Any()).ToListAsync());
            Assert.All(signed, v => Assert.True(v.SignaturesVerify()));

            // The copied portal works: the demo editor's password, the same feed bytes, new rows after the copied ones.
            await target.WithDbAsync(db => target.Feed.ReloadAsync(db));
            using var client = target.NewClient();
            await client.LoginAsync(PortalFactory.Editor);
            var feedOnTarget = await target.CreateClient().GetByteArrayAsync("/api/v1/feed");
            var feedOnSource = await source.CreateClient().GetByteArrayAsync("/api/v1/feed");
            Assert.Equal(feedOnSource, feedOnTarget);
            await target.ApproveNewVersionAsync("lower-back-pain-when-lying-down", c => c with { Summary = "After the move." });
            Assert.Equal(3, (await target.PublishAsync("First publish on PostgreSQL")).Id);
        }
        finally
        {
            sqlite.Delete();
            postgres.Delete();
        }
    }

    [PostgresFact]
    public async Task Refuses_a_target_that_already_has_content()
    {
        var sqlite = SqliteTestDatabase.InTempFolder();
        var postgres = PostgresTestDatabase.Create();
        try
        {
            await using (var old = new PortalFactory(new PortalOptions { Database = sqlite }))
            {
                _ = old.Services; // started: migrated, seeded; then closed
            }

            await using var target = new PortalFactory(new PortalOptions { Database = postgres });
            var configuration = target.Services.GetRequiredService<IConfiguration>();
            var documentsBefore = await target.WithDbAsync(db => db.Documents.CountAsync());

            var exit = await CopyDatabaseCommand.RunAsync(target.Services, configuration, [CopyDatabaseCommand.Name, "--from", sqlite.ConnectionString]);

            Assert.Equal(1, exit);
            Assert.Equal(documentsBefore, await target.WithDbAsync(db => db.Documents.CountAsync()));
        }
        finally
        {
            sqlite.Delete();
            postgres.Delete();
        }
    }

    private static Task<string> Facts(PortalFactory portal) => portal.WithDbAsync(async db => string.Join("; ",
        $"users {await db.Users.CountAsync()}",
        $"roles {await db.UserRoles.CountAsync()}",
        $"documents {await db.Documents.CountAsync()}",
        $"versions {await db.Versions.CountAsync()}",
        $"approvals {await db.Versions.SelectMany(v => v.Approvals).CountAsync()}",
        $"flags {await db.Versions.SelectMany(v => v.Flags).CountAsync()}",
        $"snapshots {string.Join(",", await db.Snapshots.OrderBy(s => s.Id).Select(s => s.ETag).ToListAsync())}",
        $"manifests {await ManifestsAsync(db)}",
        $"audit {await db.AuditTrail.CountAsync()} {await db.AuditTrail.OrderByDescending(e => e.Sequence).Select(e => e.Hash).FirstOrDefaultAsync()}",
        $"webhooks {await db.WebhookSubscriptions.CountAsync()} {await db.WebhookDeliveries.CountAsync()}",
        $"schedules {await db.ScheduledPublishes.CountAsync()}",
        $"keys {await db.DataProtectionKeys.CountAsync()}"));

    // Every snapshot's manifest as read through the row ranges, past ones included.
    private static async Task<string> ManifestsAsync(PortalDbContext db)
    {
        var lines = new List<string>();
        foreach (var id in await db.Snapshots.OrderBy(s => s.Id).Select(s => s.Id).ToListAsync())
        {
            var rows = await db.ManifestOf(id).Select(e => new { e.DocumentId, e.VersionId, e.Title }).ToListAsync();
            lines.Add($"{id}: " + string.Join(",", rows.Select(r => $"{r.DocumentId}={r.VersionId} {r.Title}").Order(StringComparer.Ordinal)));
        }

        return string.Join(" | ", lines);
    }
}
