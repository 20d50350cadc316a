using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Data;

/// <summary>
/// The second save-time job on its own: a version changed without its document still refreshes that
/// document's listing (the document is loaded for it), and the start-up catch-up recomputes rows left by
/// an older listing revision, then finds nothing.
/// </summary>
public sealed class ListingRefreshTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task A_version_changed_without_its_document_refreshes_that_documents_listing()
    {
        var (documentId, versionId) = await factory.WithDbAsync(async db =>
        {
            var document = Document.Create(DocumentKind.Article, "listing-refresh-orphan", new VersionContent("Before", "Summary.", "Body.", []), TestActors.Editor, factory.Now);
            db.Documents.Add(document);
            await db.SaveChangesAsync();
            return (document.Id, document.Latest.Id);
        });

        await factory.WithDbAsync(async db =>
        {
            var version = await db.Versions.SingleAsync(v => v.Id == versionId);
            db.Entry(version).Property(v => v.Title).CurrentValue = "After";
            Assert.Empty(db.ChangeTracker.Entries<Document>());

            var touched = await ListingRefresh.RefreshTouchedAsync(db);

            var document = Assert.Single(touched);
            Assert.Equal((documentId, "After"), (document.Id, document.LatestTitle));
        });
    }

    [Fact]
    public async Task Nothing_changed_touches_no_document()
    {
        await factory.WithDbAsync(async db =>
        {
            await db.Versions.Take(3).ToListAsync();
            Assert.Empty(await ListingRefresh.RefreshTouchedAsync(db));
        });
    }

    [Fact]
    public async Task Listings_of_an_older_revision_are_recomputed_once()
    {
        var document = await factory.CreateApprovedArticleAsync("listing-refresh-outdated", "Outdated listing", "Body text of the outdated listing.");
        await factory.WithDbAsync(db => db.Documents.Where(d => d.Id == document.Id)
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.ListingRevision, 0).SetProperty(d => d.LatestTitle, "Stale title")));

        var refreshed = await factory.WithDbAsync(db => ListingRefresh.RefreshOutdatedAsync(db));
        var again = await factory.WithDbAsync(db => ListingRefresh.RefreshOutdatedAsync(db));

        Assert.Equal((1, 0), (refreshed, again));
        var stored = await factory.DocumentAsync(document.Id);
        Assert.Equal(("Outdated listing", Document.CurrentListingRevision), (stored.LatestTitle, stored.ListingRevision));
    }
}
