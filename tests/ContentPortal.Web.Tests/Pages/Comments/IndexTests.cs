using System.Net;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Pages.Comments;

/// <summary>Review threads (Pages/Comments/Index): editors reply from the editor; publishers take no part.</summary>
public sealed class IndexTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Request_changes_opens_a_thread_the_editor_can_reply_to()
    {
        var document = await factory.DocumentAsync("disc-degeneration");
        using var editor = await factory.LoginAsync(PortalFactory.Editor);
        await editor.SubmitAsync(document.Id, "Added exercise advice.");
        var version = (await factory.DocumentAsync(document.Id)).Latest;

        using var reviewer = await factory.LoginAsync(PortalFactory.Reviewer);
        var sent = await reviewer.DecideAsync(version.Id, "RequestChanges", await reviewer.DecisionFormAsync(version.Id, "Cite a source for the exercise advice."));
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);

        var edit = await editor.OpenDraftAsync(document.Id);
        Assert.Contains("Cite a source for the exercise advice.", edit.Text);
        var reply = edit.Form("#threads form[action*='handler=Reply']").Set("Text", "Added the NICE guideline.");
        var replied = await editor.PostFormAsync("/Comments?handler=Reply", reply, htmx: true);
        var fragment = await HtmlPage.ReadAsync(replied);
        Assert.Equal(HttpStatusCode.OK, replied.StatusCode);
        Assert.Contains("Reply sent.", fragment.Text);
        Assert.DoesNotContain("<html", fragment.Html);

        var thread = await factory.WithDbAsync(db => db.ReviewThreads.AsNoTracking().SingleAsync(t => t.DocumentId == document.Id));
        Assert.Equal(["Cite a source for the exercise advice.", "Added the NICE guideline."], thread.Messages.OrderBy(m => m.At).Select(m => m.Text));

        // Publishers do not take part in review threads, even by a forged post.
        using var publisher = await factory.LoginAsync(PortalFactory.Publisher);
        var home = await publisher.GetPageAsync("/Content");
        var forged = await publisher.PostFormAsync("/Comments?handler=Reply", [new("ThreadId", thread.Id.ToString()), new("VersionId", version.Id.ToString()), new("Text", "hi")], home.Token);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
    }
}
