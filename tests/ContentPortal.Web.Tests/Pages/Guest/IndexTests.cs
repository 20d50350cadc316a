using System.Net;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Pages.Guest;

/// <summary>
/// Review links (Pages/Guest): a reviewer or editor makes a link to one version for a named guest; the guest,
/// without an account, reads that version and comments in its threads, and reaches nothing else.
/// </summary>
public sealed class IndexTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task A_reviewer_makes_a_link_and_the_guest_reads_and_comments_without_an_account()
    {
        var (version, reviewer) = await InReviewAsync(factory, "disc-degeneration");
        var (made, token) = await GuestLinks.MakeAsync(reviewer, $"/Review/Version/{version.Id}", "Dr Priya Shah");
        Assert.Contains("Copy it now", made.Text);

        // Only the hash is stored; the token appears nowhere in the store.
        var link = await factory.WithDbAsync(db => db.ReviewLinks.AsNoTracking().SingleAsync(l => l.VersionId == version.Id));
        Assert.Equal(ReviewLink.HashOf(token), link.TokenHash);
        Assert.Equal(14, (int)Math.Round((link.ExpiresAt - link.CreatedAt).TotalDays));
        Assert.False(await factory.WithDbAsync(db => db.AuditTrail.AnyAsync(e => e.Details.Contains(token))));

        var review = await reviewer.GetPageAsync($"/Review/Version/{version.Id}");
        Assert.Contains("Dr Priya Shah Active", review.Text);

        using var guest = factory.NewClient();
        var response = await guest.Http.GetAsync($"/Guest/{token}");
        var page = await HtmlPage.ReadAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("noindex, nofollow", response.Headers.GetValues("X-Robots-Tag").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("noindex, nofollow", page.Document.QuerySelector("meta[name=robots]")?.GetAttribute("content"));
        Assert.Contains(version.Title, page.Text);
        Assert.Contains("Dr Priya Shah (guest, via link)", page.Text);
        Assert.Null(page.Document.QuerySelector("nav"));
        Assert.DoesNotContain("Approve", page.Text);
        Assert.True(await factory.WithDbAsync(db => db.AuditTrail.AnyAsync(e => e.Action == AuditActions.ReviewLinkViewed && e.ActorName == "Dr Priya Shah (guest, via link)")));

        var comment = page.Form("form[action*='handler=Start']").Set("Anchor", "p1").Set("Text", "The dose advice changed in 2024.");
        var posted = await guest.PostFormAsync($"/Guest/{token}?handler=Start", comment);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal($"/Guest/{token}#threads", posted.Headers.Location?.OriginalString);

        var thread = await factory.WithDbAsync(db => db.ReviewThreads.AsNoTracking().SingleAsync(t => t.VersionId == version.Id));
        Assert.Equal("p1", thread.Anchor);
        var message = Assert.Single(thread.Messages);
        Assert.Equal("Dr Priya Shah (guest, via link)", message.AuthorName);
        Assert.Equal($"guest-link:{link.Id}", message.AuthorId);

        // The reviewer answers in the portal; the guest replies through the link.
        Assert.Contains("Dr Priya Shah (guest, via link)", (await reviewer.GetPageAsync($"/Review/Version/{version.Id}")).Text);
        var again = await guest.GetPageAsync($"/Guest/{token}");
        Assert.Contains("Comment added.", again.Text);
        var reply = again.Form("form[action*='handler=Reply']").Set("Text", "And for children.");
        Assert.Equal(HttpStatusCode.Redirect, (await guest.PostFormAsync($"/Guest/{token}?handler=Reply", reply)).StatusCode);
        thread = await factory.WithDbAsync(db => db.ReviewThreads.AsNoTracking().SingleAsync(t => t.Id == thread.Id));
        Assert.Equal(["The dose advice changed in 2024.", "And for children."], thread.Messages.OrderBy(m => m.At).Select(m => m.Text));
        Assert.Equal(2, await factory.WithDbAsync(db => db.AuditTrail.CountAsync(e => e.Action == AuditActions.ReviewLinkCommented)));

        // An empty comment comes back with its message and nothing is saved.
        var empty = (await guest.GetPageAsync($"/Guest/{token}")).Form("form[action*='handler=Start']").Set("Text", "  ");
        var refused = await HtmlPage.ReadAsync(await guest.PostFormAsync($"/Guest/{token}?handler=Start", empty));
        Assert.Contains("Write a comment.", refused.Summary);
        Assert.Equal(1, await factory.WithDbAsync(db => db.ReviewThreads.CountAsync(t => t.VersionId == version.Id)));
    }

    [Fact]
    public async Task The_guest_reaches_nothing_but_the_linked_version()
    {
        var (version, reviewer) = await InReviewAsync(factory, "ankylosing-spondylitis");
        var (_, token) = await GuestLinks.MakeAsync(reviewer, $"/Review/Version/{version.Id}", "Dr Omar Haddad");
        var other = await factory.DocumentAsync("lower-back-pain-when-lying-down");
        var staffThreadOnOther = await factory.WithDbAsync(async db =>
        {
            var otherVersion = await db.Versions.AsNoTracking().FirstAsync(v => v.DocumentId == other.Id);
            var thread = ReviewThread.Start(otherVersion, null, null, "Staff only.", TestActors.Reviewer, factory.Now);
            db.ReviewThreads.Add(thread);
            await db.SaveChangesAsync();
            return thread;
        });

        using var guest = factory.NewClient();
        var page = await guest.GetPageAsync($"/Guest/{token}");

        // Every other page still asks for a login; the guest has no session.
        foreach (var url in new[] { "/", "/Content", $"/Content/Details/{version.DocumentId}", $"/Review/Version/{version.Id}", $"/Content/Record/{version.Id}", "/Audit", "/Publish", "/Guest/Links" })
        {
            var response = await guest.Http.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/Account/Login"), $"{url}: {(int)response.StatusCode}");
        }

        foreach (var (url, fields) in new (string, KeyValuePair<string, string>[])[]
        {
            ("/Comments?handler=Start", [new("VersionId", version.Id.ToString()), new("Text", "Forged")]),
            ("/Guest/Links?handler=Create", [new("VersionId", version.Id.ToString()), new("GuestName", "Another guest")]),
            ($"/Review/Version/{version.Id}?handler=Approve", [new("Password", "x")]),
        })
        {
            var response = await guest.PostFormAsync(url, fields, page.Token);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/Account/Login"), $"{url}: {(int)response.StatusCode}");
        }

        // Replying in a thread of another document through the link is refused; nothing is added.
        var forged = page.Form("form[action*='handler=Start']").Set("ThreadId", staffThreadOnOther.Id.ToString()).Set("Text", "Reaching out");
        var refused = await HtmlPage.ReadAsync(await guest.PostFormAsync($"/Guest/{token}?handler=Reply", forged));
        Assert.Contains("That comment thread is not on the version this link shows.", refused.Summary);
        Assert.Single((await factory.WithDbAsync(db => db.ReviewThreads.AsNoTracking().SingleAsync(t => t.Id == staffThreadOnOther.Id))).Messages);

        // Antiforgery on the guest's posts too.
        var noToken = await guest.PostFormAsync($"/Guest/{token}?handler=Start", [new("Text", "No token")], null);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);

        // A token that was never issued: 404; something not shaped like a token is not even looked up.
        Assert.Equal(HttpStatusCode.NotFound, (await guest.Http.GetAsync($"/Guest/{ReviewLink.NewToken()}")).StatusCode);
        var malformed = await guest.Http.GetAsync("/Guest/not-a-token");
        Assert.NotEqual(HttpStatusCode.OK, malformed.StatusCode);
        Assert.Equal(0, await factory.WithDbAsync(db => db.ReviewThreads.CountAsync(t => t.VersionId == version.Id)));
    }

    [Fact]
    public async Task A_revoked_link_answers_410_and_takes_no_comment()
    {
        var (version, reviewer) = await InReviewAsync(factory, "pulled-muscle-or-strain");
        var (_, token) = await GuestLinks.MakeAsync(reviewer, $"/Review/Version/{version.Id}", "Dr Lena Berg");
        using var guest = factory.NewClient();
        var page = await guest.GetPageAsync($"/Guest/{token}");

        using var editor = await factory.LoginAsync(PortalFactory.Editor);
        var details = await editor.GetPageAsync($"/Content/Details/{version.DocumentId}?version={version.Number}");
        Assert.Contains("Dr Lena Berg Active", details.Text);
        var revoked = await editor.PostFormAsync("/Guest/Links?handler=Revoke", details.Form("#review-links form[action*='handler=Revoke']"));
        Assert.Contains("was revoked", (await HtmlPage.ReadAsync(revoked)).Text);

        var gone = await guest.Http.GetAsync($"/Guest/{token}");
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        Assert.Contains("revoked", await gone.Content.ReadAsStringAsync());
        var late = await guest.PostFormAsync($"/Guest/{token}?handler=Start", page.Form("form[action*='handler=Start']").Set("Text", "Too late"));
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        Assert.Equal(0, await factory.WithDbAsync(db => db.ReviewThreads.CountAsync(t => t.VersionId == version.Id)));
        Assert.True(await factory.WithDbAsync(db => db.AuditTrail.AnyAsync(e => e.Action == AuditActions.ReviewLinkRevoked && e.ActorName == "Erin Editor")));

        var list = await editor.GetPageAsync($"/Content/Details/{version.DocumentId}?version={version.Number}");
        Assert.Contains("Dr Lena Berg Revoked", list.Text);
        Assert.Null(list.Document.QuerySelector("#review-links form[action*='handler=Revoke']"));
    }

    [Fact]
    public async Task Bad_input_is_shown_by_its_field_and_only_editors_and_reviewers_make_links()
    {
        var (version, reviewer) = await InReviewAsync(factory, "spinal-tumor");
        var form = (await reviewer.GetPageAsync($"/Review/Version/{version.Id}")).Form("#review-links form[action*='handler=Create']");

        var tooLong = await HtmlPage.ReadAsync(await reviewer.PostFormAsync("/Guest/Links?handler=Create", form.Copy().Set("GuestName", "Dr Ana Silva").Set("Days", "91")));
        Assert.Equal("A link can be open for 1 to 90 days.", tooLong.Document.QuerySelector("#link-days-error")?.TextContent);
        Assert.Equal("Dr Ana Silva", tooLong.FieldValue("GuestName"));
        var noName = await HtmlPage.ReadAsync(await reviewer.PostFormAsync("/Guest/Links?handler=Create", form.Copy().Set("GuestName", " ")));
        Assert.Equal("Enter the guest's name, as it should appear beside their comments.", noName.Document.QuerySelector("#link-guest-error")?.TextContent);
        Assert.Equal(0, await factory.WithDbAsync(db => db.ReviewLinks.CountAsync(l => l.VersionId == version.Id)));

        using var publisher = await factory.LoginAsync(PortalFactory.Publisher);
        var home = await publisher.GetPageAsync("/Content");
        var forged = await publisher.PostFormAsync("/Guest/Links?handler=Create", [new("VersionId", version.Id.ToString()), new("GuestName", "Dr Ana Silva")], home.Token);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(0, await factory.WithDbAsync(db => db.ReviewLinks.CountAsync(l => l.VersionId == version.Id)));
    }

    [Fact]
    public async Task A_link_expires_after_its_days()
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        var (version, reviewer) = await InReviewAsync(app, "disc-degeneration");
        var (_, token) = await GuestLinks.MakeAsync(reviewer, $"/Review/Version/{version.Id}", "Dr Priya Shah", days: "3");
        using var guest = app.NewClient();
        await guest.GetPageAsync($"/Guest/{token}");

        app.Clock.Advance(TimeSpan.FromDays(3) - TimeSpan.FromMinutes(1));
        await guest.GetPageAsync($"/Guest/{token}");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var gone = await guest.Http.GetAsync($"/Guest/{token}");
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        Assert.Contains("expired", await gone.Content.ReadAsStringAsync());
        Assert.Equal(2, await app.WithDbAsync(db => db.AuditTrail.CountAsync(e => e.Action == AuditActions.ReviewLinkViewed)));

        using var editor = await app.LoginAsync(PortalFactory.Editor);
        Assert.Contains("Dr Priya Shah Expired", (await editor.GetPageAsync($"/Content/Details/{version.DocumentId}?version={version.Number}")).Text);
    }

    /// <summary>Submits the seed document <paramref name="slug"/> for review; a reviewer's client.</summary>
    private static async Task<(DocumentVersion Version, PortalClient Reviewer)> InReviewAsync(PortalFactory app, string slug)
    {
        var document = await app.DocumentAsync(slug);
        using (var editor = await app.LoginAsync(PortalFactory.Editor))
        {
            await editor.SubmitAsync(document.Id, "Checked with a specialist.");
        }

        return ((await app.DocumentAsync(document.Id)).Latest, await app.LoginAsync(PortalFactory.Reviewer));
    }
}

/// <summary>Making a review link through the page, as a person does.</summary>
internal static class GuestLinks
{
    /// <summary>Posts the new-link form of the page at <paramref name="pageUrl"/>; the answer and the token it showed.</summary>
    public static async Task<(HtmlPage Page, string Token)> MakeAsync(PortalClient client, string pageUrl, string guestName, string days = "14")
    {
        var form = (await client.GetPageAsync(pageUrl)).Form("#review-links form[action*='handler=Create']").Set("GuestName", guestName).Set("Days", days);
        var response = await client.PostFormAsync("/Guest/Links?handler=Create", form);
        var page = await HtmlPage.ReadAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var url = page.Document.QuerySelector(".new-link")?.GetAttribute("value") ?? throw new InvalidOperationException($"No new link shown:\n{page.Text}");
        return (page, url[(url.LastIndexOf('/') + 1)..]);
    }
}
