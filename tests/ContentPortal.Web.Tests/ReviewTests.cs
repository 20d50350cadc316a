using System.Net;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests;

/// <summary>Approve and Request changes, including the refusals. Each test works on its own document.</summary>
public sealed class ReviewTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Request_changes_sends_the_version_back_and_the_next_edit_opens_a_new_draft_from_it()
    {
        var document = await factory.DocumentAsync("pulled-muscle-or-strain");
        using var editor = await factory.LoginAsync(Editor);
        await editor.SubmitAsync(document.Id, "Mentions heat packs.", form =>
            form.Set("Input.Body", form.Get("Input.Body") + "\n\nA heat pack may help after two days.\n"));
        var v2 = (await factory.DocumentAsync(document.Id)).Latest;
        Assert.Equal((2, VersionStatus.InReview), (v2.Number, v2.Status));

        using var reviewer = await factory.LoginAsync(Reviewer);
        var form = await reviewer.DecisionFormAsync(v2.Id, "Please say how long to use the heat pack.");
        var response = await reviewer.DecideAsync(v2.Id, "RequestChanges", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Review", response.Headers.Location?.OriginalString);
        Assert.Contains("sent back to the editors with your comment", (await reviewer.GetPageAsync("/Review")).Text);

        var after = await factory.DocumentAsync(document.Id);
        var sentBack = after.Version(2);
        Assert.Equal(VersionStatus.ChangesRequested, sentBack.Status);
        Assert.Equal("Please say how long to use the heat pack.", sentBack.Transitions.Last().Comment);
        Assert.Null(after.OpenVersion);

        var details = await editor.GetPageAsync($"/Content/Details/{document.Id}");
        Assert.Contains("Changes requested", details.Text);
        Assert.Contains("Please say how long to use the heat pack.", details.Text);

        // The editor's next Edit starts version 3 as a copy of version 2; version 2 stays as reviewed.
        var edit = await editor.OpenDraftAsync(document.Id);
        Assert.Contains("Edit draft version 3", edit.Text);
        Assert.Contains("A heat pack may help after two days.", edit.FieldValue("Input.Body"));
        var final = await factory.DocumentAsync(document.Id);
        var v3 = final.Version(3);
        Assert.Equal(VersionStatus.Draft, v3.Status);
        Assert.Equal(sentBack.BodyMarkdown, v3.BodyMarkdown);
        Assert.Equal(sentBack.ContentHash, final.Version(2).ContentHash);
        Assert.Equal(VersionStatus.ChangesRequested, final.Version(2).Status);
    }

    [Fact]
    public async Task Request_changes_without_a_comment_is_refused_next_to_the_comment_field()
    {
        using var editor = await factory.LoginAsync(Editor);
        var id = await editor.CreateDocumentAsync("Review needs a comment", "review-needs-a-comment");
        await editor.SubmitAsync(id, "First draft.", form => form.Set("Input.Body", "Some text."));
        var version = (await factory.DocumentAsync(id)).Latest;

        using var reviewer = await factory.LoginAsync(Reviewer);
        var response = await reviewer.DecideAsync(version.Id, "RequestChanges", await reviewer.DecisionFormAsync(version.Id, "   "));
        var page = await HtmlPage.ReadAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Say what needs to change, for the editor.", page.FieldError("Comment"));

        // htmx gets the decision fragment alone, with the same message.
        var htmx = await reviewer.DecideAsync(version.Id, "RequestChanges", await reviewer.DecisionFormAsync(version.Id), htmx: true);
        var fragment = await HtmlPage.ReadAsync(htmx);
        Assert.Equal(HttpStatusCode.OK, htmx.StatusCode);
        Assert.DoesNotContain("<html", fragment.Html, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(fragment.Document.QuerySelector("section#decision"));
        Assert.Equal("Say what needs to change, for the editor.", fragment.FieldError("Comment"));

        var after = (await factory.DocumentAsync(id)).Latest;
        Assert.Equal(VersionStatus.InReview, after.Status);
        Assert.Equal(version.Revision, after.Revision);
        Assert.Equal(version.Transitions.Count, after.Transitions.Count);
    }

    [Fact]
    public async Task Four_eyes_an_admin_who_edited_a_version_cannot_approve_it_even_by_a_forged_post()
    {
        using var admin = await factory.LoginAsync(Admin);
        var id = await admin.CreateDocumentAsync("Four eyes article", "four-eyes-article");
        await admin.SubmitAsync(id, "Written by the admin.", form => form.Set("Input.Body", "Admin text."));
        var version = (await factory.DocumentAsync(id)).Latest;

        var queue = await admin.GetPageAsync("/Review");
        Assert.Contains("No: you edited it", queue.Document.QuerySelector($"a[href=\"/Review/Version/{version.Id}\"]")!.Closest("tr")!.TextContent);

        // The page explains it, but the form is still there: post Approve straight at the handler.
        var form = await admin.SignFormAsync(version.Id, note: "Looks fine to me.");
        var response = await admin.DecideAsync(version.Id, "Approve", form);
        var page = await HtmlPage.ReadAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("another reviewer", page.Summary, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("You edited this version, so you cannot approve it.", page.Summary);

        // The same forged post through htmx: the fragment with the refusal, never a redirect.
        var htmx = await admin.DecideAsync(version.Id, "Approve", form, htmx: true);
        Assert.Equal(HttpStatusCode.OK, htmx.StatusCode);
        Assert.False(htmx.Headers.Contains("HX-Redirect"));
        Assert.Contains("another reviewer", (await HtmlPage.ReadAsync(htmx)).Summary, StringComparison.OrdinalIgnoreCase);

        var after = (await factory.DocumentAsync(id)).Latest;
        Assert.Equal(VersionStatus.InReview, after.Status);
        Assert.Null(after.ApprovedAt);

        // Another reviewer can.
        using var reviewer2 = await factory.LoginAsync(Reviewer2);
        await reviewer2.ApproveAsync(version.Id);
        var approved = (await factory.DocumentAsync(id)).Latest;
        Assert.Equal(VersionStatus.Approved, approved.Status);
        Assert.Equal("Dr Ravi Second-Reviewer", approved.ApprovedByName);
    }

    [Fact]
    public async Task Approving_a_version_that_is_not_in_review_is_refused_clearly()
    {
        var document = await factory.DocumentAsync("disc-degeneration");
        var approved = Assert.Single(document.Versions);
        Assert.Equal(VersionStatus.Approved, approved.Status);

        using var reviewer = await factory.LoginAsync(Reviewer);
        var review = await reviewer.GetPageAsync($"/Review/Version/{approved.Id}");
        Assert.Contains("This version is approved; there is nothing to decide.", review.Text);
        Assert.Null(review.Document.QuerySelector("#decision form"));

        // Forged: a correct revision, so the workflow itself must refuse.
        var response = await reviewer.PostFormAsync(
            $"/Review/Version/{approved.Id}?handler=Approve",
            [new("Revision", approved.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("Comment", "again")],
            review.Token);
        var page = await HtmlPage.ReadAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("This version is approved, so it cannot be approved. Only a version in review can be.", page.Text);

        var after = Assert.Single((await factory.DocumentAsync(document.Id)).Versions);
        Assert.Equal(approved.Revision, after.Revision);
        Assert.Equal(approved.Transitions.Count, after.Transitions.Count);
    }

    [Fact]
    public async Task A_second_decision_from_a_page_read_before_the_first_is_refused_clearly()
    {
        using var editor = await factory.LoginAsync(Editor2);
        var id = await editor.CreateDocumentAsync("Two reviewers at once", "two-reviewers-at-once");
        await editor.SubmitAsync(id, "Ready.", form => form.Set("Input.Body", "Text."));
        var version = (await factory.DocumentAsync(id)).Latest;

        using var first = await factory.LoginAsync(Reviewer);
        using var second = await factory.LoginAsync(Reviewer2);
        var firstForm = await first.SignFormAsync(version.Id);
        var secondForm = await second.DecisionFormAsync(version.Id, "Please add a source.");

        Assert.Equal(HttpStatusCode.Redirect, (await first.DecideAsync(version.Id, "Approve", firstForm)).StatusCode);
        var response = await second.DecideAsync(version.Id, "RequestChanges", secondForm);
        var page = await HtmlPage.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("This version changed while you were reading it", page.Text);
        var after = (await factory.DocumentAsync(id)).Latest;
        Assert.Equal(VersionStatus.Approved, after.Status);
        Assert.Equal("Dr Rhea Reviewer", after.ApprovedByName);
    }

    [Fact]
    public async Task Four_eyes_whoever_wrote_a_sent_back_version_cannot_approve_the_copy_in_the_next_draft()
    {
        using var admin = await factory.LoginAsync(Admin);
        var id = await admin.CreateDocumentAsync("Sent back then copied", "sent-back-then-copied");
        await admin.SubmitAsync(id, "Admin's text.", form => form.Set("Input.Body", "Admin's own text, not yet approved."));
        var v1 = (await factory.DocumentAsync(id)).Latest;

        using var reviewer = await factory.LoginAsync(Reviewer);
        var sentBack = await reviewer.DecideAsync(v1.Id, "RequestChanges", await reviewer.DecisionFormAsync(v1.Id, "Fix the typo."));
        Assert.Equal(HttpStatusCode.Redirect, sentBack.StatusCode);

        using var editor = await factory.LoginAsync(Editor2);
        await editor.SubmitAsync(id, "Typo fixed.", form => form.Set("Input.Body", form.Get("Input.Body") + " Typo fixed."));
        var v2 = (await factory.DocumentAsync(id)).Latest;
        Assert.Equal(2, v2.Number);

        var refused = await admin.DecideAsync(v2.Id, "Approve", await admin.SignFormAsync(v2.Id));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("another reviewer", (await HtmlPage.ReadAsync(refused)).Summary, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(VersionStatus.InReview, (await factory.DocumentAsync(id)).Latest.Status);
    }

    [Fact]
    public async Task Htmx_decisions_redirect_with_hx_redirect_and_unknown_versions_are_404()
    {
        using var editor = await factory.LoginAsync(Editor);
        var id = await editor.CreateDocumentAsync("Htmx approve", "htmx-approve");
        await editor.SubmitAsync(id, "Ready.", form => form.Set("Input.Body", "Text."));
        var version = (await factory.DocumentAsync(id)).Latest;

        using var reviewer = await factory.LoginAsync(Reviewer2);
        var response = await reviewer.DecideAsync(version.Id, "Approve", await reviewer.SignFormAsync(version.Id), htmx: true);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/Review", response.Headers.GetValues("HX-Redirect").Single());
        Assert.Equal(VersionStatus.Approved, (await factory.DocumentAsync(id)).Latest.Status);

        var missing = Guid.NewGuid();
        var page = await reviewer.GetPageAsync($"/Review/Version/{missing}", HttpStatusCode.NotFound);
        Assert.Contains("Not found", page.Text);
        var post = await reviewer.PostFormAsync($"/Review/Version/{missing}?handler=Approve", [new("Revision", "1")], page.Token);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }

    [Fact]
    public async Task Only_reviewers_can_post_decisions()
    {
        using var author = await factory.LoginAsync(Editor);
        var id = await author.CreateDocumentAsync("Editors cannot approve", "editors-cannot-approve");
        await author.SubmitAsync(id, "Ready.", form => form.Set("Input.Body", "Text."));
        var version = (await factory.DocumentAsync(id)).Latest;

        using var editor2 = await factory.LoginAsync(Editor2);
        using var publisher = await factory.LoginAsync(Publisher);
        foreach (var client in new[] { editor2, publisher })
        {
            var token = (await client.GetPageAsync("/Content")).Token;
            var response = await client.PostFormAsync(
                $"/Review/Version/{version.Id}?handler=Approve",
                [new("Revision", version.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture))],
                token);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        Assert.Equal(VersionStatus.InReview, (await factory.DocumentAsync(id)).Latest.Status);
    }
}
