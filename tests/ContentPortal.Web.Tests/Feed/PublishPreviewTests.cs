using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;

namespace ContentPortal.Web.Tests.Feed;

/// <summary>The Publish page's preview (from the documents' listing columns) says what the full plan says.</summary>
public sealed class PublishPreviewTests : IAsyncLifetime
{
    private readonly PortalFactory app = new(PortalOptions.WithFakeClock());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await app.DisposeAsync();

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
    }

    private async Task AssertSameAsync(bool expectChanges)
    {
        var plan = await app.WithPublisherAsync(p => p.PlanAsync());
        var preview = await app.WithPublisherAsync(p => p.PreviewAsync());
        Assert.Equal(expectChanges, preview.HasChanges);
        Assert.Equal(plan.NextId, preview.NextId);
        Assert.Equal(plan.Entries.Count, preview.DocumentCount);
        Assert.Equal(
            plan.Changes.Select(Describe).Order().ToList(),
            preview.Changes.Select(Describe).Order().ToList());
    }

    private static string Describe(PlannedChange c) =>
        $"{c.Change} {c.Entry.DocumentId} {c.Entry.VersionId} v{c.Entry.VersionNumber} {c.Entry.Slug} {c.Entry.Title} from {c.PreviousVersion}";
}
