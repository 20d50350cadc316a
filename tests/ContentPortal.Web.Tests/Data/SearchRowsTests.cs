using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Data;

/// <summary>
/// The third save-time job on its own: each touched document's search row is added when missing and
/// follows its latest version's text; an unchanged row is left alone.
/// </summary>
public sealed class SearchRowsTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task A_missing_row_is_added_and_a_stale_one_follows_the_latest_version()
    {
        var created = await factory.CreateApprovedArticleAsync("search-rows-article", "Search rows", "Body text about search rows.");
        var expected = DocumentSearch.TextOf(created.Latest);
        await factory.WithDbAsync(db => db.DocumentSearches.Where(s => s.DocumentId == created.Id).ExecuteDeleteAsync());

        await factory.WithDbAsync(async db =>
        {
            var document = await db.Documents.SingleAsync(d => d.Id == created.Id);
            await SearchRows.RefreshAsync(db, [document]);
            var added = Assert.Single(db.ChangeTracker.Entries<DocumentSearch>());
            Assert.Equal((EntityState.Added, expected), (added.State, added.Entity.Text));
            await db.SaveChangesAsync();
        });

        await factory.WithDbAsync(db => db.DocumentSearches.Where(s => s.DocumentId == created.Id)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.Text, "stale")));
        await factory.WithDbAsync(async db =>
        {
            var document = await db.Documents.SingleAsync(d => d.Id == created.Id);
            await SearchRows.RefreshAsync(db, [document]);
            var updated = Assert.Single(db.ChangeTracker.Entries<DocumentSearch>());
            Assert.Equal((EntityState.Modified, expected), (updated.State, updated.Entity.Text));
            await db.SaveChangesAsync();
        });

        await factory.WithDbAsync(async db =>
        {
            Assert.Equal(expected, (await db.DocumentSearches.SingleAsync(s => s.DocumentId == created.Id)).Text);
            var document = await db.Documents.SingleAsync(d => d.Id == created.Id);
            await SearchRows.RefreshAsync(db, [document]);
            Assert.Equal(EntityState.Unchanged, Assert.Single(db.ChangeTracker.Entries<DocumentSearch>()).State);
        });
    }
}
