using System.Net;
using System.Text.Json;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests.Pages.Review;

/// <summary>
/// One version's review (Pages/Review/Version): Approve as an electronic signature (password re-entry,
/// the record, the feed), Request changes, claims, and the refusals. Each test gets a fresh app: several
/// take the same seeded document through review.
/// </summary>
public sealed class VersionTests : IDisposable
{
    private readonly PortalFactory factory = new();

    public void Dispose() => factory.Dispose();

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
    public async Task A_reviewer_locked_out_at_the_signing_step_is_signed_out()
    {
        await using var app = new PortalFactory();
        var document = await app.DocumentAsync("spinal-tumor");
        using var editor = await app.LoginAsync(PortalFactory.Editor);
        await editor.SubmitAsync(document.Id, "Guess me.");
        var version = (await app.DocumentAsync(document.Id)).Latest;

        using var reviewer = await app.LoginAsync(PortalFactory.Reviewer2);
        HttpResponseMessage last = null!;
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            last = await reviewer.DecideAsync(version.Id, "Approve", await reviewer.SignFormAsync(version.Id, password: $"wrong-password-{attempt}"));
        }

        // The fifth wrong password locks the account and ends the session; nothing was signed.
        Assert.Equal(HttpStatusCode.Redirect, last.StatusCode);
        Assert.Equal("/Account/Login?locked=true", last.Headers.Location?.OriginalString);
        var login = await reviewer.GetPageAsync("/Account/Login?locked=true");
        Assert.Contains("You were signed out: too many wrong passwords when signing.", login.Text);
        var review = await reviewer.Http.GetAsync("/Review");
        Assert.Equal(HttpStatusCode.Redirect, review.StatusCode);
        Assert.Contains("/Account/Login", review.Headers.Location?.OriginalString);
        Assert.Empty((await app.DocumentAsync(document.Id)).Latest.Approvals);
        Assert.True(await app.WithDbAsync(db => db.AuditTrail.AnyAsync(e => e.Action == "logout" && e.Details.StartsWith("Signed out: locked after too many wrong passwords"))));
    }

    [Fact]
    public async Task A_wrong_password_signs_nothing_counts_toward_lockout_and_is_audited_then_the_right_one_signs()
    {
        var document = await factory.DocumentAsync("spinal-tumor");
        using var editor = await factory.LoginAsync(PortalFactory.Editor);
        await editor.SubmitAsync(document.Id, "Reworded the treatment.");
        var version = (await factory.DocumentAsync(document.Id)).Latest;

        using var reviewer = await factory.LoginAsync(PortalFactory.Reviewer2);
        var wrong = await reviewer.DecideAsync(version.Id, "Approve", await reviewer.SignFormAsync(version.Id, password: "not-the-password-1"));
        var refusedPage = await HtmlPage.ReadAsync(wrong);
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("That password is not right. Nothing was signed.", refusedPage.FieldError("Password"));

        var afterWrong = (await factory.DocumentAsync(document.Id)).Latest;
        Assert.Equal(VersionStatus.InReview, afterWrong.Status);
        Assert.Empty(afterWrong.Approvals);
        Assert.Equal(1, await factory.WithDbAsync(db => db.Users.Where(u => u.Email == PortalFactory.Reviewer2).Select(u => u.AccessFailedCount).SingleAsync()));
        Assert.True(await factory.WithDbAsync(db => db.AuditTrail.AnyAsync(e => e.Action == "signature.refused" && e.Subject == $"version:{version.Id}")));

        await reviewer.ApproveAsync(version.Id, "Checked against the guideline.");

        var approved = (await factory.DocumentAsync(document.Id)).Latest;
        Assert.Equal(VersionStatus.Approved, approved.Status);
        var signature = Assert.Single(approved.Approvals);
        Assert.Equal("Dr Ravi Second-Reviewer", signature.SignerName);
        Assert.Equal(Roles.Reviewer, signature.SignerRole);
        Assert.Equal(Approval.FullMeaning, signature.Meaning);
        Assert.Equal(approved.ContentHash, signature.ContentHash);
        Assert.Equal(approved.ComputeHash(), signature.ContentHash);
        Assert.True(signature.Verifies(approved));
        Assert.Equal(DateTimeKind.Utc, signature.SignedAt.Kind);
        Assert.Equal(approved.ApprovedAt, approved.LastReviewed);
        Assert.Equal(approved.LastReviewed!.Value.AddMonths(36), approved.ReviewDue);
        Assert.Equal(0, await factory.WithDbAsync(db => db.Users.Where(u => u.Email == PortalFactory.Reviewer2).Select(u => u.AccessFailedCount).SingleAsync()));

        // The signature shows on the version page and travels into the feed.
        var details = await reviewer.GetPageAsync($"/Content/Details/{document.Id}");
        Assert.Contains("Dr Ravi Second-Reviewer (Reviewer) signed", details.Text);
        Assert.Contains("Signature verified against the content", details.Text);

        using var publisher = await factory.LoginAsync(PortalFactory.Publisher);
        Assert.Equal(HttpStatusCode.Redirect, (await publisher.PublishAsync("Signed treatment wording")).StatusCode);
        using var feed = JsonDocument.Parse(await factory.CreateClient().GetStringAsync("/api/v1/feed"));
        var item = feed.RootElement.GetProperty("articles").EnumerateArray().Single(a => a.GetProperty("slug").GetString() == "spinal-tumor");
        var approval = Assert.Single(item.GetProperty("approvals").EnumerateArray().ToList());
        Assert.Equal("Dr Ravi Second-Reviewer", approval.GetProperty("name").GetString());
        Assert.Equal("Reviewer", approval.GetProperty("role").GetString());
        Assert.Equal(Approval.FullMeaning, approval.GetProperty("meaning").GetString());
        Assert.EndsWith("Z", approval.GetProperty("signedAt").GetString());
        Assert.EndsWith("Z", item.GetProperty("lastReviewed").GetString());
        Assert.EndsWith("Z", item.GetProperty("reviewDue").GetString());
        Assert.DoesNotContain("@", feed.RootElement.GetRawText());
    }

    [Fact]
    public async Task A_minor_change_keeps_the_last_review_date_of_the_version_before()
    {
        var document = await factory.DocumentAsync("ankylosing-spondylitis");
        var before = document.Latest;
        using var editor = await factory.LoginAsync(PortalFactory.Editor2);
        await editor.SubmitAsync(document.Id, "Typo: NSAIDS → NSAIDs.");
        var version = (await factory.DocumentAsync(document.Id)).Latest;

        using var reviewer = await factory.LoginAsync(PortalFactory.Reviewer);
        var response = await reviewer.DecideAsync(version.Id, "Approve", await reviewer.SignFormAsync(version.Id, kind: "Minor"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var approved = (await factory.DocumentAsync(document.Id)).Latest;
        Assert.Equal(ReviewKind.Minor, approved.ReviewKind);
        Assert.Equal(before.LastReviewed, approved.LastReviewed);
        Assert.Equal(before.ReviewDue, approved.ReviewDue);
        Assert.Equal(Approval.MinorMeaning, Assert.Single(approved.Approvals).Meaning);
    }

    [Fact]
    public async Task A_version_claimed_by_one_reviewer_cannot_be_decided_by_another()
    {
        var document = await factory.DocumentAsync("pulled-muscle-or-strain");
        using var editor = await factory.LoginAsync(PortalFactory.Editor);
        await editor.SubmitAsync(document.Id, "Clarified rest advice.");
        var version = (await factory.DocumentAsync(document.Id)).Latest;

        using var first = await factory.LoginAsync(PortalFactory.Reviewer);
        var page = await first.GetPageAsync($"/Review/Version/{version.Id}");
        var claim = await first.PostFormAsync($"/Review/Version/{version.Id}?handler=Claim", page.Form("#decision form[action*='handler=Claim']"));
        Assert.Equal(HttpStatusCode.Redirect, claim.StatusCode);

        using var second = await factory.LoginAsync(PortalFactory.Reviewer2);
        var secondPage = await second.GetPageAsync($"/Review/Version/{version.Id}");
        Assert.Contains("Dr Rhea Reviewer claimed this version", secondPage.Text);
        var refused = await second.DecideAsync(version.Id, "Approve", await second.SignFormAsync(version.Id));
        Assert.Contains("Dr Rhea Reviewer has claimed this version for review", (await HtmlPage.ReadAsync(refused)).Summary);
        Assert.Empty((await factory.DocumentAsync(document.Id)).Latest.Approvals);

        var queue = await second.GetPageAsync("/Review");
        Assert.Contains("Dr Rhea Reviewer", queue.Text);
    }

    [Fact]
    public async Task A_claim_lapses_after_the_configured_days()
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        var document = await app.DocumentAsync("pulled-muscle-or-strain");
        using var editor = await app.LoginAsync(PortalFactory.Editor);
        await editor.SubmitAsync(document.Id, "Clarified rest advice.");
        var version = (await app.DocumentAsync(document.Id)).Latest;

        using var first = await app.LoginAsync(PortalFactory.Reviewer);
        var page = await first.GetPageAsync($"/Review/Version/{version.Id}");
        Assert.Equal(HttpStatusCode.Redirect, (await first.PostFormAsync($"/Review/Version/{version.Id}?handler=Claim", page.Form("#decision form[action*='handler=Claim']"))).StatusCode);
        Assert.Contains("the claim lapses", (await first.GetPageAsync($"/Review/Version/{version.Id}")).Text);

        // Claimed, then left: after Workflow:ClaimDays (3) it blocks nobody. (An administrator's release: Admin/ClaimsTests.)
        using var reviewer2 = await app.LoginAsync(PortalFactory.Reviewer2);
        var refused = await reviewer2.DecideAsync(version.Id, "Approve", await reviewer2.SignFormAsync(version.Id));
        Assert.Contains("Dr Rhea Reviewer has claimed this version for review until", (await HtmlPage.ReadAsync(refused)).Summary);

        app.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        // (Sessions end sooner than claims: log in afresh.)
        using var later = await app.LoginAsync(PortalFactory.Reviewer2);
        Assert.Contains("Dr Rhea Reviewer's claim lapsed", (await later.GetPageAsync($"/Review/Version/{version.Id}")).Text);
        await later.ApproveAsync(version.Id);
        Assert.Equal(VersionStatus.Approved, (await app.DocumentAsync(document.Id)).Latest.Status);
    }

    [Fact]
    public async Task Four_eyes_an_admin_who_edited_a_version_cannot_approve_it_even_by_a_forged_post()
    {
        using var admin = await factory.LoginAsync(PortalFactory.Admin);
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
    public async Task Four_eyes_whoever_wrote_a_sent_back_version_cannot_approve_the_copy_in_the_next_draft()
    {
        using var admin = await factory.LoginAsync(PortalFactory.Admin);
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
    public async Task Approving_a_version_that_is_not_in_review_is_refused_clearly()
    {
        var document = await factory.DocumentAsync("disc-degeneration");
        var approved = Assert.Single(document.Versions);
        Assert.Equal(VersionStatus.Approved, approved.Status);

        using var reviewer = await factory.LoginAsync(Reviewer);
        var review = await reviewer.GetPageAsync($"/Review/Version/{approved.Id}");
        // The published version offers its periodic review (issue 27), never an approval.
        Assert.Contains("Periodic review of version 1", review.Text);
        Assert.Null(review.Document.QuerySelector("#decision form[action*='handler=Approve']"));

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

    [Fact]
    public async Task The_review_screen_shows_what_changes_against_the_published_version()
    {
        var document = await factory.DocumentAsync("pulled-muscle-or-strain");
        using var editor = await factory.LoginAsync(PortalFactory.Editor);
        await editor.SubmitAsync(document.Id, "Added a word.", form => form.Set("Input.Summary", document.Latest.Summary + " Gently."));
        var version = (await factory.DocumentAsync(document.Id)).Latest;

        using var reviewer = await factory.LoginAsync(PortalFactory.Reviewer);
        var page = await reviewer.GetPageAsync($"/Review/Version/{version.Id}");
        Assert.Contains("The feed serves version 1 now.", page.Text);
        var inserted = page.Document.QuerySelectorAll("#comparison ins").Select(e => e.TextContent).ToList();
        Assert.Contains(inserted, text => text.Contains("Gently.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_version_stays_in_review_after_the_first_signature_and_one_reviewer_cannot_sign_twice()
    {
        await using var twoSignatures = new PortalFactory(new PortalOptions { RequiredApprovals = 2 });
        var document = await twoSignatures.DocumentAsync("lower-back-pain-when-lying-down");
        using var editor = await twoSignatures.LoginAsync(PortalFactory.Editor);
        await editor.SubmitAsync(document.Id, "Needs two signatures.");
        var version = (await twoSignatures.DocumentAsync(document.Id)).Latest;

        using var first = await twoSignatures.LoginAsync(PortalFactory.Reviewer);
        Assert.Equal(HttpStatusCode.Redirect, (await first.DecideAsync(version.Id, "Approve", await first.SignFormAsync(version.Id))).StatusCode);
        var afterOne = (await twoSignatures.DocumentAsync(document.Id)).Latest;
        Assert.Equal(VersionStatus.InReview, afterOne.Status);
        Assert.Single(afterOne.Approvals);
        Assert.Contains("1 of 2 needed", (await first.GetPageAsync($"/Review/Version/{version.Id}")).Text);

        var again = await first.DecideAsync(version.Id, "Approve", await first.SignFormAsync(version.Id));
        Assert.Contains("You have already signed this version", (await HtmlPage.ReadAsync(again)).Summary);

        using var second = await twoSignatures.LoginAsync(PortalFactory.Reviewer2);
        Assert.Equal(HttpStatusCode.Redirect, (await second.DecideAsync(version.Id, "Approve", await second.SignFormAsync(version.Id))).StatusCode);
        var approved = (await twoSignatures.DocumentAsync(document.Id)).Latest;
        Assert.Equal(VersionStatus.Approved, approved.Status);
        Assert.Equal(["Dr Rhea Reviewer", "Dr Ravi Second-Reviewer"], approved.Approvals.OrderBy(a => a.SignedAt).Select(a => a.SignerName));
        Assert.True(approved.SignaturesVerify());
    }

    // Issue 12: reading age against the target, and the evidence register at signing.

    private const string References = "NICE guideline NG59 https://www.nice.org.uk/guidance/ng59\nNHS back pain https://www.nhs.uk/conditions/back-pain/";

    [Fact]
    public async Task Signing_above_the_reading_age_target_needs_a_reason_that_is_kept_with_the_signature_and_sent_in_the_feed()
    {
        using var strict = new PortalFactory(new PortalOptions { Settings = new Dictionary<string, string> { ["Content:ReadingAgeTarget"] = "5" } });
        var document = await strict.DocumentAsync("spinal-tumor");
        using var editor = await strict.LoginAsync(Editor);
        await editor.SubmitAsync(document.Id, "Reworded.");
        var version = (await strict.DocumentAsync(document.Id)).Latest;

        using var reviewer = await strict.LoginAsync(Reviewer);
        var review = await reviewer.GetPageAsync($"/Review/Version/{version.Id}");
        Assert.Contains("against a target of 5", review.Text);
        Assert.Contains("above target", review.Text);

        // No reason: refused at the field, nothing signed.
        var form = await reviewer.SignFormAsync(version.Id, answerAll: false);
        var refused = await HtmlPage.ReadAsync(await reviewer.DecideAsync(version.Id, "Approve", form.Set("SignatureNote", "typed note")));
        Assert.Contains("above the target of 5", refused.FieldError("ReadabilityReason"));
        Assert.Equal("typed note", refused.FieldValue("SignatureNote"));

        // Too long: refused, and the typed reason comes back intact.
        var longReason = new string('x', 501);
        refused = await HtmlPage.ReadAsync(await reviewer.DecideAsync(version.Id, "Approve", (await reviewer.SignFormAsync(version.Id, answerAll: false)).Set("ReadabilityReason", longReason)));
        Assert.Contains("500 characters", refused.FieldError("ReadabilityReason"));
        Assert.Equal(longReason, refused.FieldValue("ReadabilityReason"));
        Assert.Empty((await strict.DocumentAsync(document.Id)).Latest.Approvals);

        var signed = await reviewer.DecideAsync(version.Id, "Approve", (await reviewer.SignFormAsync(version.Id, answerAll: false)).Set("ReadabilityReason", "Spinal terms are needed."));
        Assert.Equal(HttpStatusCode.Redirect, signed.StatusCode);
        var approval = Assert.Single((await strict.DocumentAsync(document.Id)).Latest.Approvals);
        Assert.Equal("Spinal terms are needed.", approval.ReadabilityReason);
        Assert.Contains("approved because: Spinal terms are needed.", (await reviewer.GetPageAsync($"/Content/Details/{document.Id}")).Text);

        using var publisher = await strict.LoginAsync(Publisher);
        Assert.Equal(HttpStatusCode.Redirect, (await publisher.PublishAsync("Reading age")).StatusCode);
        using var feed = JsonDocument.Parse(await strict.CreateClient().GetStringAsync("/api/v1/feed"));
        var item = feed.RootElement.GetProperty("articles").EnumerateArray().Single(a => a.GetProperty("slug").GetString() == "spinal-tumor");
        Assert.Equal("Spinal terms are needed.", item.GetProperty("approvals")[0].GetProperty("readabilityReason").GetString());
        var readability = item.GetProperty("readability");
        Assert.True(readability.GetProperty("readingAge").GetInt32() > 5);
        Assert.Equal(readability.GetProperty("readingAge").GetInt32(), (int)Math.Round(readability.GetProperty("smog").GetDouble() + 5, MidpointRounding.AwayFromZero));
        Assert.True(readability.GetProperty("words").GetInt32() > 0);
        // Other items were imported, so their signatures list is empty, but each has its readability.
        Assert.All(feed.RootElement.GetProperty("redFlagLists").EnumerateArray(), list => Assert.True(list.GetProperty("readability").GetProperty("sentences").GetInt32() > 0));
    }

    [Fact]
    public async Task Within_the_target_the_form_asks_no_reason_and_the_feed_says_none_was_needed()
    {
        using var relaxed = new PortalFactory(new PortalOptions { Settings = new Dictionary<string, string> { ["Content:ReadingAgeTarget"] = "40" } });
        var document = await relaxed.DocumentAsync("spinal-tumor");
        using var editor = await relaxed.LoginAsync(Editor);
        await editor.SubmitAsync(document.Id, "Reworded.");
        var version = (await relaxed.DocumentAsync(document.Id)).Latest;

        using var reviewer = await relaxed.LoginAsync(Reviewer);
        var form = await reviewer.SignFormAsync(version.Id, answerAll: false);
        Assert.Null(form.Get("ReadabilityReason"));
        Assert.Equal(HttpStatusCode.Redirect, (await reviewer.DecideAsync(version.Id, "Approve", form)).StatusCode);
        Assert.Null(Assert.Single((await relaxed.DocumentAsync(document.Id)).Latest.Approvals).ReadabilityReason);
    }

    [Fact]
    public async Task A_full_review_answers_for_every_reference_and_a_minor_change_keeps_the_checks()
    {
        var document = await factory.DocumentAsync("spinal-tumor");
        using var editor = await factory.LoginAsync(Editor);
        await editor.SubmitAsync(document.Id, "Cites its sources.", form => form.Set("Input.References", References));
        var version = (await factory.DocumentAsync(document.Id)).Latest;

        using var reviewer = await factory.LoginAsync(Reviewer);
        var page = await reviewer.GetPageAsync($"/Review/Version/{version.Id}?sign=true");
        Assert.Contains("Never re-checked", page.Text);
        Assert.Equal("1", page.FieldValue("Evidence[0].Position"));
        Assert.Equal("2", page.FieldValue("Evidence[1].Position"));

        // Nothing ticked, no reasons: both references refused at their fields.
        var blank = await reviewer.SignFormAsync(version.Id, answerAll: false);
        blank.Set("ReadabilityReason", "Needed terms.");
        var refused = await HtmlPage.ReadAsync(await reviewer.DecideAsync(version.Id, "Approve", blank));
        Assert.Contains("Reference 1: tick", refused.FieldError("Evidence[0].Reason"));
        Assert.Contains("Reference 2: tick", refused.FieldError("Evidence[1].Reason"));

        // A forged tick for a reference the version does not have, and a skipped row: refused, typed reason kept.
        var forged = (await reviewer.SignFormAsync(version.Id)).Remove("Evidence[1].Rechecked")
            .Set("Evidence[1].Reason", "Link is down today").Set("Evidence[2].Position", "3").Set("Evidence[2].Rechecked", "true");
        refused = await HtmlPage.ReadAsync(await reviewer.DecideAsync(version.Id, "Approve", forged));
        Assert.Contains("which this version does not have", refused.FieldError("Evidence"));
        Assert.Equal("Link is down today", refused.FieldValue("Evidence[1].Reason"));
        var skipped = (await reviewer.SignFormAsync(version.Id)).Remove("Evidence[1].Position").Remove("Evidence[1].Rechecked");
        refused = await HtmlPage.ReadAsync(await reviewer.DecideAsync(version.Id, "Approve", skipped));
        Assert.Contains("Reference 2: tick", refused.FieldError("Evidence[1].Reason"));
        Assert.Empty((await factory.DocumentAsync(document.Id)).Latest.Approvals);

        var answered = (await reviewer.SignFormAsync(version.Id)).Remove("Evidence[1].Rechecked").Set("Evidence[1].Reason", "Link is down today");
        Assert.Equal(HttpStatusCode.Redirect, (await reviewer.DecideAsync(version.Id, "Approve", answered)).StatusCode);
        var approved = (await factory.DocumentAsync(document.Id)).Latest;
        Assert.Equal([true, false], approved.EvidenceChecks.OrderBy(c => c.Position).Select(c => c.Rechecked));
        Assert.Equal("Link is down today", approved.EvidenceChecks.Single(c => !c.Rechecked).Reason);

        // A minor change records no checks and needs none; the review screen shows the earlier ones.
        using (var editor2 = await factory.LoginAsync(Editor2))
        {
            await editor2.SubmitAsync(document.Id, "Typo.");
        }

        var minor = (await factory.DocumentAsync(document.Id)).Latest;
        var minorPage = await reviewer.GetPageAsync($"/Review/Version/{minor.Id}");
        Assert.Contains("by Dr Rhea Reviewer", minorPage.Text.Replace("  ", " "));
        Assert.Contains("because: Link is down today", minorPage.Text);
        var minorForm = (await reviewer.SignFormAsync(minor.Id, kind: "Minor", answerAll: false)).Set("ReadabilityReason", "Needed terms.");
        Assert.Equal(HttpStatusCode.Redirect, (await reviewer.DecideAsync(minor.Id, "Approve", minorForm)).StatusCode);
        Assert.Empty((await factory.DocumentAsync(document.Id)).Latest.EvidenceChecks);

        using var publisher = await factory.LoginAsync(Publisher);
        Assert.Equal(HttpStatusCode.Redirect, (await publisher.PublishAsync("Evidence")).StatusCode);
        using var feed = JsonDocument.Parse(await factory.CreateClient().GetStringAsync("/api/v1/feed"));
        var references = feed.RootElement.GetProperty("articles").EnumerateArray().Single(a => a.GetProperty("slug").GetString() == "spinal-tumor").GetProperty("references");
        Assert.Equal(approved.EvidenceChecks.Single(c => c.Rechecked).CheckedAt, references[0].GetProperty("lastChecked").GetDateTime().ToUniversalTime());
        Assert.Equal(JsonValueKind.Null, references[1].GetProperty("lastChecked").ValueKind);
        Assert.Equal(JsonValueKind.Null, references[0].GetProperty("section").ValueKind);
    }

    [Fact]
    public async Task Separation_of_duties_an_account_cannot_sign_the_work_of_the_admin_who_set_its_roles()
    {
        await using var app = new PortalFactory();
        using var admin = await app.LoginAsync(PortalFactory.Admin);
        var reviewerId = await app.WithDbAsync(db => db.Users.Where(u => u.Email == PortalFactory.Reviewer2).Select(u => u.Id).SingleAsync());
        var edit = await admin.GetPageAsync($"/Admin/Users/Edit/{reviewerId}");
        var roles = await admin.PostFormAsync($"/Admin/Users/Edit/{reviewerId}?handler=Roles", edit.Form("form[action*='handler=Roles']"));
        Assert.Equal(HttpStatusCode.Redirect, roles.StatusCode);
        Assert.Contains("Ada Admin", (await admin.GetPageAsync("/Admin/Users")).Document.QuerySelector($"a[href=\"/Admin/Users/Edit/{reviewerId}\"]")!.Closest("tr")!.TextContent);

        var id = await admin.CreateDocumentAsync("Sponsored article", "sponsored-article");
        await admin.SubmitAsync(id, "Written by the admin.", form => form.Set("Input.Body", "Admin text."));
        var version = (await app.DocumentAsync(id)).Latest;

        using var reviewer = await app.LoginAsync(PortalFactory.Reviewer2);
        var refused = await reviewer.DecideAsync(version.Id, "Approve", await reviewer.SignFormAsync(version.Id));
        var summary = (await HtmlPage.ReadAsync(refused)).Summary;
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Ada Admin changed your roles and also edited this version, so you cannot sign it", summary);
        Assert.Empty((await app.DocumentAsync(id)).Latest.Approvals);

        // Another reviewer, set up by nobody who wrote it, can.
        using var other = await app.LoginAsync(PortalFactory.Reviewer);
        await other.ApproveAsync(version.Id);
    }

    [Theory]
    [InlineData("sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("")]
    public async Task Approve_is_refused_unless_it_carries_the_content_hash_the_reviewer_was_shown(string posted)
    {
        using var editor = await factory.LoginAsync(PortalFactory.Editor);
        var id = await editor.CreateDocumentAsync("Hash bound article", "hash-bound-" + Guid.NewGuid().ToString("N")[..8]);
        await editor.SubmitAsync(id, "Ready.", form => form.Set("Input.Body", "Bound text."));
        var version = (await factory.DocumentAsync(id)).Latest;

        using var reviewer = await factory.LoginAsync(PortalFactory.Reviewer);
        var form = await reviewer.SignFormAsync(version.Id);
        Assert.Equal(version.ContentHash, form.Get("ShownContentHash"));
        var refused = await reviewer.DecideAsync(version.Id, "Approve", form.Copy().Set("ShownContentHash", posted));

        Assert.Contains("This is not the content you were shown", (await HtmlPage.ReadAsync(refused)).Summary);
        Assert.Empty((await factory.DocumentAsync(id)).Latest.Approvals);
        await reviewer.ApproveAsync(version.Id);
    }
}
