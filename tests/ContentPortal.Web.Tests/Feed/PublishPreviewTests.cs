using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Publishing;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Feed;

/// <summary>The Publish page's preview (from the documents' listing columns) says what the full plan says.</summary>
public sealed class PublishPreviewTests : FeedAppTests
{
    [Fact]
    public async Task The_preview_lists_the_same_changes_as_the_plan_for_added_changed_and_retired_documents()
    {
        await AssertSameAsync(expectChanges: false);

        await app.ApproveNewVersionAsync("lower-back-pain-when-lying-down", c => c with { Summary = "Changed." });
        await app.CreateApprovedArticleAsync("brand-new-article", "Brand new article", "A new body.");
        await app.RetireAsync("spinal-tumor");
        await AssertSameAsync(expectChanges: true);

        await app.PublishAsync("All of it");
        await AssertSameAsync(expectChanges: false);

        // Twice approved before the next publish; then published and changed again.
        await app.ApproveNewVersionAsync("brand-new-article", c => c with { Summary = "Second." });
        await app.ApproveNewVersionAsync("brand-new-article", c => c with { Summary = "Third." });
        await AssertSameAsync(expectChanges: true);
        await app.PublishAsync("Third");
        await AssertSameAsync(expectChanges: false);
    }

    [Fact]
    public async Task Pending_documents_are_found_through_their_index_not_by_reading_every_document()
    {
        var plan = await app.WithDbAsync(db => db.PlanOfAsync(db.Documents.Where(d => EF.Property<bool>(d, PortalDbContext.PublishPending)).Select(d => d.Id)));

        Assert.Contains("IX_Documents_PublishPending", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retired_documents_for_the_Publish_page_are_found_through_their_index_not_by_reading_every_document()
    {
        var plan = await app.WithDbAsync(db => db.PlanOfAsync(db.Documents.Where(d => d.RetiredAt != null).Select(d => d.Id)));

        Assert.Contains("IX_Documents_RetiredAt", plan, StringComparison.Ordinal);
    }

    private async Task AssertSameAsync(bool expectChanges)
    {
        var plan = await app.WithPublisherAsync(p => p.PlanAsync());
        var preview = await app.WithPublisherAsync(p => p.PreviewAsync());
        // Both read the listing columns; the domain's plan from whole documents and the stored manifest is the reference.
        var full = await app.WithDbAsync(async db =>
        {
            var newest = await db.Snapshots.MaxAsync(s => (int?)s.Id);
            var documents = await db.Documents.AsNoTracking().ToListAsync();
            return SnapshotPlan.For(newest is { } id ? new SnapshotContents(id, await db.ManifestOf(id).ToListAsync()) : null, documents);
        });
        Assert.Equal(Describe(full.Entries), Describe(plan.Entries));
        Assert.Equal(full.Changes.Select(Describe).Order().ToList(), plan.Changes.Select(Describe).Order().ToList());
        Assert.Equal(expectChanges, preview.HasChanges);
        Assert.Equal(plan.NextId, preview.NextId);
        Assert.Equal(plan.Entries.Count, preview.DocumentCount);
        Assert.Equal(
            plan.Changes.Select(Describe).Order().ToList(),
            preview.Changes.Select(Describe).Order().ToList());
    }

    private static List<string> Describe(IEnumerable<SnapshotEntry> entries) =>
        entries.Select(e => $"{e.DocumentId} {e.VersionId} v{e.VersionNumber} {e.Kind} {e.Slug} {e.Title}").ToList();

    private static string Describe(PlannedChange c) =>
        $"{c.Change} {c.Entry.DocumentId} {c.Entry.VersionId} v{c.Entry.VersionNumber} {c.Entry.Slug} {c.Entry.Title} from {c.PreviousVersion}";
}
