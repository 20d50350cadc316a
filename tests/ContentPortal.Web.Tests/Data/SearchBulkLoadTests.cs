using ContentPortal.Web.Data;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Data;

/// <summary>
/// The seed import fills SQLite's FTS5 search tables once at the end of its load (<see cref="DocumentSearch.BulkLoadAsync"/>):
/// their insert triggers are dropped for the load and created again after it. What the searches then find is
/// checked by DocumentSearchTests on the imported seed; here, that the triggers come back exactly as the
/// migrations made them, and stay in place when the load fails.
/// </summary>
[Trait("Category", "SqliteOnly")]
public sealed class SearchBulkLoadTests
{
    [Fact]
    public async Task After_the_seed_import_the_search_triggers_are_the_ones_the_migrations_made()
    {
        var migratedOnly = await TriggersAsync(withSeed: false);
        var imported = await TriggersAsync(withSeed: true);

        Assert.Equal(12, migratedOnly.Count); // four FTS5 tables, each kept by an insert, a delete and an update trigger
        Assert.Equal(migratedOnly, imported);
    }

    [Fact]
    public async Task A_load_that_fails_leaves_the_search_triggers_in_place_and_one_outside_a_transaction_is_refused()
    {
        var empty = Directory.CreateTempSubdirectory("contentportal-empty-seed-");
        try
        {
            await using var app = new PortalFactory(new PortalOptions { Settings = new Dictionary<string, string> { ["Seed:Path"] = empty.FullName } });
            var before = await app.WithDbAsync(TriggersOfAsync);

            var insertTriggersDuringLoad = -1;
            var failure = await Assert.ThrowsAsync<InvalidDataException>(() => app.WithDbAsync(async db =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                await DocumentSearch.BulkLoadAsync(db, async () =>
                {
                    insertTriggersDuringLoad = (await TriggersOfAsync(db)).Count(t => t.Sql.Contains(" AFTER INSERT ON DocumentSearch ", StringComparison.Ordinal));
                    throw new InvalidDataException("a seed file could not be read");
                });
                return 0;
            }));

            Assert.Equal("a seed file could not be read", failure.Message);
            Assert.Equal(0, insertTriggersDuringLoad);
            Assert.Equal(before, await app.WithDbAsync(TriggersOfAsync));

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => app.WithDbAsync(async db =>
            {
                await DocumentSearch.BulkLoadAsync(db, () => Task.CompletedTask);
                return 0;
            }));
            Assert.Contains("inside a transaction", refused.Message);
            Assert.Equal(before, await app.WithDbAsync(TriggersOfAsync));
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    private static async Task<List<(string Name, string Sql)>> TriggersAsync(bool withSeed)
    {
        var empty = Directory.CreateTempSubdirectory("contentportal-empty-seed-");
        try
        {
            var settings = withSeed ? new Dictionary<string, string>() : new Dictionary<string, string> { ["Seed:Path"] = empty.FullName };
            await using var app = new PortalFactory(new PortalOptions { Settings = settings });
            Assert.Equal(withSeed, await app.WithDbAsync(db => db.Documents.AnyAsync()));
            return await app.WithDbAsync(TriggersOfAsync);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    private static async Task<List<(string Name, string Sql)>> TriggersOfAsync(PortalDbContext db) =>
        (await db.Database.SqlQueryRaw<Trigger>("SELECT name AS \"Name\", sql AS \"Sql\" FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'DocumentSearch' ORDER BY name")
            .ToListAsync()).Select(t => (t.Name, t.Sql)).ToList();

    private sealed record Trigger(string Name, string Sql);
}
