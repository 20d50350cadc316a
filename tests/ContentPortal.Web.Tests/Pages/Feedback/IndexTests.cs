using System.Net;
using System.Net.Http.Json;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Pages.Feedback;

/// <summary>The editors' Feedback page, and the counts on the dashboard, the document page and the review screen.</summary>
public sealed class IndexTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Editors_see_new_feedback_and_open_a_draft_with_it_as_a_comment_thread()
    {
        var document = await factory.DocumentAsync("spinal-tumor");
        await SendAsync("spinal-tumor", "The red flags should come first.", "Red flags");
        await SendAsync("spinal-tumor", "Thanks, clear.", null, helpful: true);

        using var editor = await factory.LoginAsync(PortalFactory.Editor);
        Assert.Matches(@"Reader feedback \(\d+ new\)", (await editor.GetPageAsync("/")).Text);
        Assert.Contains("Reader feedback (2 new)", (await editor.GetPageAsync($"/Content/Details/{document.Id}")).Text);

        var page = await editor.GetPageAsync($"/Feedback?document={document.Id}");
        Assert.Contains("New (2)", page.Text);
        Assert.Contains("The red flags should come first.", page.Text);
        var newest = await factory.WithDbAsync(db => db.ReaderFeedback.AsNoTracking().SingleAsync(f => f.DocumentId == document.Id && f.Comment == "The red flags should come first."));

        var form = page.Form($"form:has(input[value='{newest.Id}'])");
        var drafted = await editor.PostFormAsync($"/Feedback?handler=Draft&status=New&document={document.Id}", form);
        Assert.Equal(HttpStatusCode.Redirect, drafted.StatusCode);
        Assert.Equal($"/Content/Edit/{document.Id}", drafted.Headers.Location?.OriginalString);

        var actioned = await factory.WithDbAsync(db => db.ReaderFeedback.AsNoTracking().SingleAsync(f => f.Id == newest.Id));
        Assert.Equal(FeedbackStatus.Actioned, actioned.Status);
        Assert.Equal("Erin Editor", actioned.DecidedByName);
        var thread = await factory.WithDbAsync(db => db.ReviewThreads.AsNoTracking().SingleAsync(t => t.Id == actioned.ThreadId));
        var draft = (await factory.DocumentAsync(document.Id)).Latest;
        Assert.Equal(VersionStatus.Draft, draft.Status);
        Assert.Equal(draft.Id, thread.VersionId);
        Assert.StartsWith("Reader feedback (not helpful, section \"Red flags\"", thread.Messages.Single().Text);
        Assert.Contains("The red flags should come first.", (await editor.OpenDraftAsync(document.Id)).Text);

        // Dismissing the other one empties the new list; the Dismissed tab shows who did it.
        var rest = await editor.GetPageAsync($"/Feedback?document={document.Id}");
        Assert.Contains("New (1)", rest.Text);
        var dismissed = await editor.PostFormAsync($"/Feedback?handler=Dismiss&status=New&document={document.Id}", rest.Form(".feedback-list form"));
        Assert.Equal(HttpStatusCode.Redirect, dismissed.StatusCode);
        var after = await editor.GetPageAsync($"/Feedback?document={document.Id}&status=Dismissed");
        Assert.Contains("Dismissed by Erin Editor", after.Text);
        Assert.Contains("New (0)", after.Text);

        // Acting twice is refused with a message, not a 500.
        var again = await editor.PostFormAsync($"/Feedback?handler=Dismiss", [new("Id", newest.Id.ToString())], after.Token);
        Assert.Contains("This feedback was already actioned by Erin Editor.", (await HtmlPage.ReadAsync(again)).Summary);
        Assert.Equal(2, await factory.WithDbAsync(db => db.AuditTrail.CountAsync(e => e.Subject == $"document:{document.Id}" && (e.Action == AuditActions.FeedbackActioned || e.Action == AuditActions.FeedbackDismissed))));
    }

    [Fact]
    public async Task The_review_screen_lists_a_documents_open_feedback()
    {
        var document = await factory.DocumentAsync("pulled-muscle-or-strain");
        await SendAsync("pulled-muscle-or-strain", "How long should the pain last?", "Recovery");
        using (var editor = await factory.LoginAsync(PortalFactory.Editor))
        {
            await editor.SubmitAsync(document.Id, "Answering a reader.");
        }

        using var reviewer = await factory.LoginAsync(PortalFactory.Reviewer);
        var review = await reviewer.GetPageAsync($"/Review/Version/{(await factory.DocumentAsync(document.Id)).Latest.Id}");
        Assert.Contains("Reader feedback (1 new)", review.Text);
        Assert.Contains("How long should the pain last?", review.Text);
    }

    [Theory]
    [InlineData(PortalFactory.Reviewer)]
    [InlineData(PortalFactory.Publisher)]
    public async Task Only_editors_open_the_Feedback_page(string email)
    {
        using var someone = await factory.LoginAsync(email);
        Assert.Equal(HttpStatusCode.Forbidden, (await someone.Http.GetAsync("/Feedback")).StatusCode);
        var home = await someone.GetPageAsync("/Content");
        var forged = await someone.PostFormAsync("/Feedback?handler=Dismiss", [new("Id", Guid.NewGuid().ToString())], home.Token);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
    }

    private async Task SendAsync(string slug, string? comment, string? section, bool helpful = false)
    {
        using var client = factory.CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/feedback", new { slug, helpful, comment, section });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
