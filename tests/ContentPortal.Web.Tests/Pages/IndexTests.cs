using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Pages;

/// <summary>The dashboard (Pages/Index): review dates due or overdue.</summary>
public sealed class IndexTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task An_overdue_review_is_flagged_on_the_dashboard_and_the_content_list()
    {
        var document = await factory.DocumentAsync("disc-degeneration");
        // As a database that has aged past its review date would hold it.
        await factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
            "UPDATE \"Versions\" SET \"ReviewDue\" = {0} WHERE \"DocumentId\" = {1}", new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), document.Id));
        // The document's listing holds the review date lists query (Document.RefreshListing keeps it in step).
        await factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
            "UPDATE \"Documents\" SET \"ListedReviewDue\" = {0} WHERE \"Id\" = {1}", new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), document.Id));

        using var editor = await factory.LoginAsync(PortalFactory.Editor);
        var dashboard = await editor.GetPageAsync("/");
        var section = dashboard.Document.QuerySelector("#review-due")!.ParentElement!;
        Assert.Contains("Disc degeneration", section.TextContent);
        Assert.Contains("Review overdue", section.TextContent);
        Assert.DoesNotContain("Spinal tumor", section.TextContent); // due in three years: not listed

        var list = await editor.GetPageAsync("/Content?q=Disc");
        Assert.Contains("Overdue", list.Text);
    }
}
