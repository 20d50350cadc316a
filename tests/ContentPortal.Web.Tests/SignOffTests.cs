using System.Net;
using System.Text.Json;
using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContentPortal.Web.Tests;

/// <summary>Approval as an electronic signature over HTTP: password re-entry, the record, the feed.</summary>
public sealed class SignOffTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
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

/// <summary>What reviewers see around a version: the diff against the published one, and review dates on the dashboard.</summary>
public sealed class ReviewContextTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
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
    public async Task Links_between_articles_lead_to_the_document_page_in_the_portal_and_stay_slugs_in_the_feed()
    {
        var overview = await factory.DocumentAsync("lower-back-pain-when-lying-down");
        var target = await factory.DocumentAsync("pulled-muscle-or-strain");
        using var reviewer = await factory.LoginAsync(PortalFactory.Reviewer);

        var page = await reviewer.GetPageAsync($"/Content/Details/{overview.Id}");
        var link = page.Document.QuerySelectorAll("article.rendered a").Single(a => a.TextContent == "Pulled muscle or strain");
        Assert.Equal("/Content/Slug/pulled-muscle-or-strain", link.GetAttribute("href"));
        var follow = await reviewer.Http.GetAsync(link.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.Redirect, follow.StatusCode);
        Assert.Equal($"/Content/Details/{target.Id}", follow.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await reviewer.Http.GetAsync("/Content/Slug/no-such-document")).StatusCode);

        var feed = await factory.CreateClient().GetStringAsync($"/api/v1/articles/{overview.Slug}");
        Assert.Contains("href=\\\"pulled-muscle-or-strain\\\"", feed);
    }

    [Fact]
    public async Task An_overdue_review_is_flagged_on_the_dashboard_and_the_content_list()
    {
        var document = await factory.DocumentAsync("disc-degeneration");
        // As a database that has aged past its review date would hold it.
        await factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
            "UPDATE Versions SET ReviewDue = {0} WHERE DocumentId = {1}", new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), document.Id));

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

/// <summary>With Workflow:RequiredApprovals = 2 a version needs two distinct signatures.</summary>
public sealed class TwoSignatureFactory : PortalFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Workflow:RequiredApprovals", "2");
    }
}

public sealed class TwoSignatureTests(TwoSignatureFactory factory) : IClassFixture<TwoSignatureFactory>
{
    [Fact]
    public async Task The_version_stays_in_review_after_the_first_signature_and_one_reviewer_cannot_sign_twice()
    {
        var document = await factory.DocumentAsync("lower-back-pain-when-lying-down");
        using var editor = await factory.LoginAsync(PortalFactory.Editor);
        await editor.SubmitAsync(document.Id, "Needs two signatures.");
        var version = (await factory.DocumentAsync(document.Id)).Latest;

        using var first = await factory.LoginAsync(PortalFactory.Reviewer);
        Assert.Equal(HttpStatusCode.Redirect, (await first.DecideAsync(version.Id, "Approve", await first.SignFormAsync(version.Id))).StatusCode);
        var afterOne = (await factory.DocumentAsync(document.Id)).Latest;
        Assert.Equal(VersionStatus.InReview, afterOne.Status);
        Assert.Single(afterOne.Approvals);
        Assert.Contains("1 of 2 needed", (await first.GetPageAsync($"/Review/Version/{version.Id}")).Text);

        var again = await first.DecideAsync(version.Id, "Approve", await first.SignFormAsync(version.Id));
        Assert.Contains("You have already signed this version", (await HtmlPage.ReadAsync(again)).Summary);

        using var second = await factory.LoginAsync(PortalFactory.Reviewer2);
        Assert.Equal(HttpStatusCode.Redirect, (await second.DecideAsync(version.Id, "Approve", await second.SignFormAsync(version.Id))).StatusCode);
        var approved = (await factory.DocumentAsync(document.Id)).Latest;
        Assert.Equal(VersionStatus.Approved, approved.Status);
        Assert.Equal(["Dr Rhea Reviewer", "Dr Ravi Second-Reviewer"], approved.Approvals.OrderBy(a => a.SignedAt).Select(a => a.SignerName));
        Assert.True(approved.SignaturesVerify());
    }
}
