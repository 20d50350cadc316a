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

    [Fact]
    public async Task Evidence_not_rechecked_within_the_review_period_is_flagged_even_when_the_review_is_not_due()
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        var document = await app.DocumentAsync("spinal-tumor");
        const string references = "NICE guideline NG59 https://www.nice.org.uk/guidance/ng59";

        async Task ReviewAsync(string note, Action<FormData> answer)
        {
            using var editor = await app.LoginAsync(PortalFactory.Editor);
            await editor.SubmitAsync(document.Id, note, form => form.Set("Input.References", references).Set("Input.Summary", note));
            var version = (await app.DocumentAsync(document.Id)).Latest;
            using var reviewer = await app.LoginAsync(PortalFactory.Reviewer);
            var form = await reviewer.SignFormAsync(version.Id);
            answer(form);
            Assert.Equal(System.Net.HttpStatusCode.Redirect, (await reviewer.DecideAsync(version.Id, "Approve", form)).StatusCode);
        }

        await ReviewAsync("Cites NICE.", _ => { });
        app.Clock.Advance(TimeSpan.FromDays(30 * 30)); // about 30 months later, a full review that did not re-check the source
        await ReviewAsync("Second review.", form => form.Remove("Evidence[0].Rechecked").Set("Evidence[0].Reason", "No time today"));
        app.Clock.Advance(TimeSpan.FromDays(7 * 31));

        using var viewer = await app.LoginAsync(PortalFactory.Editor);
        var dashboard = await viewer.GetPageAsync("/");
        var item = dashboard.Document.QuerySelectorAll("#review-due ~ ul li").Single(li => li.TextContent.Contains("Spinal tumor"));
        Assert.Contains("Evidence overdue", item.TextContent);
        Assert.DoesNotContain("Review overdue", item.TextContent);
    }
}
