using System.Net;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Pages.Review;

/// <summary>
/// The periodic review of a published version (issue 27), on the review screen (Pages/Review/Version):
/// "Keep as it is" signs the published version itself through the same signing form as an approval.
/// </summary>
public sealed class PeriodicReviewTests : IDisposable
{
    private readonly PortalFactory factory = new(PortalOptions.WithFakeClock());

    public void Dispose() => factory.Dispose();

    /// <summary>The signing form for "Keep as it is", filled as <see cref="Steps.SignFormAsync"/> fills an approval's.</summary>
    private static async Task<FormData> KeepFormAsync(PortalClient reviewer, Guid versionId, string password = PortalFactory.Password)
    {
        var form = await reviewer.SignFormAsync(versionId, password);
        return form.Remove("Kind");
    }

    [Fact]
    public async Task Keep_as_it_is_signs_the_published_version_and_starts_a_new_review_period()
    {
        var document = await factory.DocumentAsync("spinal-tumor");
        var published = document.Latest;
        Assert.Equal(published.Id, document.PublishedVersionId);
        factory.Clock.Advance(TimeSpan.FromDays(35 * 31)); // the review falls due
        var now = factory.Now;

        using var reviewer = await factory.LoginAsync(PortalFactory.Reviewer);
        var details = await reviewer.GetPageAsync($"/Content/Details/{document.Id}");
        Assert.Equal($"/Review/Version/{published.Id}", details.Document.QuerySelector("a#periodic-review")?.GetAttribute("href"));
        var dashboard = await reviewer.GetPageAsync("/");
        var due = dashboard.Document.QuerySelectorAll("#review-due ~ ul li").Single(li => li.TextContent.Contains("Spinal tumor"));
        Assert.Equal($"/Review/Version/{published.Id}", due.QuerySelector("a.periodic-review-link")?.GetAttribute("href"));

        var screen = await reviewer.GetPageAsync($"/Review/Version/{published.Id}");
        Assert.Contains("Periodic review of version 1", screen.Text);
        var form = await KeepFormAsync(reviewer, published.Id);
        var signing = await reviewer.GetPageAsync($"/Review/Version/{published.Id}?sign=true");
        Assert.Contains(Approval.PeriodicMeaning, signing.Text);
        Assert.NotNull(signing.Document.QuerySelector("#decision form.sign-form[action*='handler=Keep']"));

        var response = await reviewer.DecideAsync(published.Id, "Keep", form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/Content/Details/{document.Id}", response.Headers.Location?.OriginalString);
        Assert.Contains("was kept as it is", (await reviewer.GetPageAsync($"/Content/Details/{document.Id}")).Text);
        var after = await factory.DocumentAsync(document.Id);
        var kept = Assert.Single(after.Versions);
        Assert.Equal((VersionStatus.Approved, published.ContentHash), (kept.Status, kept.ContentHash));
        var signature = kept.Approvals[^1];
        Assert.Equal((ReviewKind.Periodic, Approval.PeriodicMeaning, published.ContentHash, "Dr Rhea Reviewer"), (signature.Kind, signature.Meaning, signature.ContentHash, signature.SignerName));
        Assert.True(kept.SignaturesVerify());
        Assert.Equal((now, now.AddMonths(36)), (kept.LastReviewed, kept.ReviewDue));
        Assert.Equal(now.AddMonths(36), after.ListedReviewDue);
        Assert.True(await factory.WithDbAsync(db => db.AuditTrail.AnyAsync(e => e.Action == AuditActions.VersionPeriodicReviewed && e.Subject == $"version:{published.Id}")));

        // No longer due: the dashboard's list drops it.
        var later = await reviewer.GetPageAsync("/");
        Assert.DoesNotContain("Spinal tumor", later.Document.QuerySelector("#review-due")!.ParentElement!.TextContent);
    }

    [Fact]
    public async Task A_wrong_password_keeps_nothing_and_says_so_by_the_field()
    {
        var document = await factory.DocumentAsync("spinal-tumor");
        var published = document.Latest;

        using var reviewer = await factory.LoginAsync(PortalFactory.Reviewer);
        var response = await reviewer.DecideAsync(published.Id, "Keep", await KeepFormAsync(reviewer, published.Id, "not-my-password"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlPage.ReadAsync(response);
        Assert.Equal("That password is not right. Nothing was signed.", page.FieldError("Password"));
        var after = (await factory.DocumentAsync(document.Id)).Latest;
        Assert.Equal(published.Approvals.Count, after.Approvals.Count);
        Assert.Equal(published.LastReviewed, after.LastReviewed);
    }

    [Fact]
    public async Task An_unanswered_reference_is_refused_by_its_field_and_htmx_gets_the_decision_fragment()
    {
        var document = await factory.DocumentAsync("spinal-tumor");
        using (var editor = await factory.LoginAsync(PortalFactory.Editor))
        {
            await editor.SubmitAsync(document.Id, "Cites NICE.", form => form.Set("Input.References", "NICE guideline NG59 https://www.nice.org.uk/guidance/ng59"));
        }

        var v2 = (await factory.DocumentAsync(document.Id)).Latest;
        using var reviewer = await factory.LoginAsync(PortalFactory.Reviewer);
        await reviewer.ApproveAsync(v2.Id);
        using (var publisher = await factory.LoginAsync(PortalFactory.Publisher))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await publisher.PublishAsync("Cites NICE.")).StatusCode);
        }

        using var second = await factory.LoginAsync(PortalFactory.Reviewer2);
        var form = (await KeepFormAsync(second, v2.Id)).Remove("Evidence[0].Rechecked");
        var response = await second.DecideAsync(v2.Id, "Keep", form, htmx: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fragment = await HtmlPage.ReadAsync(response);
        Assert.DoesNotContain("<html", fragment.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Reference 1: tick \u201cre-checked\u201d or say why it was not re-checked.", fragment.FieldError("Evidence[0].Reason"));
        Assert.DoesNotContain((await factory.DocumentAsync(document.Id)).Latest.Approvals, a => a.Kind == ReviewKind.Periodic);
    }

    [Fact]
    public async Task A_version_in_review_is_not_kept_by_a_periodic_review()
    {
        var document = await factory.DocumentAsync("spinal-tumor");
        using (var editor = await factory.LoginAsync(PortalFactory.Editor))
        {
            await editor.SubmitAsync(document.Id, "A change.");
        }

        var v2 = (await factory.DocumentAsync(document.Id)).Latest;
        using var reviewer = await factory.LoginAsync(PortalFactory.Reviewer);
        var screen = await reviewer.GetPageAsync($"/Review/Version/{v2.Id}?sign=true");
        Assert.Null(screen.Document.QuerySelector("form[action*='handler=Keep']"));
        var form = await reviewer.SignFormAsync(v2.Id);

        var response = await reviewer.DecideAsync(v2.Id, "Keep", form);

        // The password is not asked for what cannot be kept; the page says why nothing was signed.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Version 2 is not the published version. A periodic review is of the version readers see.", (await HtmlPage.ReadAsync(response)).Summary);
        Assert.Empty((await factory.DocumentAsync(document.Id)).Latest.Approvals);
    }

    [Fact]
    public async Task Revise_opens_the_next_draft_with_the_note_as_a_thread_and_the_document_stays_due()
    {
        var document = await factory.DocumentAsync("spinal-tumor");
        var published = document.Latest;
        using var reviewer = await factory.LoginAsync(PortalFactory.Reviewer);
        var page = await reviewer.GetPageAsync($"/Review/Version/{published.Id}");

        var blank = await reviewer.PostFormAsync($"/Review/Version/{published.Id}?handler=Revise", page.Form("#decision form[action*='handler=Revise']").Set("ReviseNote", " "), htmx: true);
        Assert.Equal(HttpStatusCode.OK, blank.StatusCode);
        Assert.Equal("Say what should change, for the editors.", (await HtmlPage.ReadAsync(blank)).FieldError("ReviseNote"));
        Assert.Single((await factory.DocumentAsync(document.Id)).Versions);

        var response = await reviewer.PostFormAsync($"/Review/Version/{published.Id}?handler=Revise", page.Form("#decision form[action*='handler=Revise']").Set("ReviseNote", "Add the 2024 NICE update on imaging."));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/Content/Details/{document.Id}", response.Headers.Location?.OriginalString);
        var after = await factory.DocumentAsync(document.Id);
        var draft = after.Latest;
        Assert.Equal((2, VersionStatus.Draft, published.ContentHash), (draft.Number, draft.Status, draft.ComputeHash()));
        Assert.Empty(draft.Authors);
        Assert.Equal((published.Id, published.ReviewDue), (after.LatestApprovedId, after.ReviewDue));
        var thread = Assert.Single(await factory.WithDbAsync(db => db.ReviewThreads.Where(t => t.VersionId == draft.Id).ToListAsync()));
        Assert.Equal("Add the 2024 NICE update on imaging.", thread.Messages.Single().Text);
        Assert.Contains("was opened for the editors with your note", (await reviewer.GetPageAsync($"/Content/Details/{document.Id}")).Text);
    }

    [Fact]
    public async Task Only_reviewers_reach_the_periodic_review()
    {
        var document = await factory.DocumentAsync("spinal-tumor");
        using var editor = await factory.LoginAsync(PortalFactory.Editor);

        var details = await editor.GetPageAsync($"/Content/Details/{document.Id}");
        Assert.Null(details.Document.QuerySelector("a#periodic-review"));
        var response = await editor.Http.GetAsync($"/Review/Version/{document.Latest.Id}?handler=SignStep");
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }
}

/// <summary>
/// What a periodic review changes downstream: the next publish lists the document as Reviewed (the same version)
/// and carries the new dates and signature; earlier snapshots keep their items byte for byte.
/// </summary>
public sealed class PeriodicReviewPublishTests : IDisposable
{
    private readonly PortalFactory factory = new(PortalOptions.WithFakeClock());

    public void Dispose() => factory.Dispose();

    private async Task<System.Text.Json.Nodes.JsonNode> JsonAsync(HttpClient http, string url)
    {
        var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static System.Text.Json.Nodes.JsonNode Item(System.Text.Json.Nodes.JsonNode feed, string slug) =>
        feed["articles"]!.AsArray().Concat(feed["redFlagLists"]!.AsArray()).Single(i => i!["slug"]!.GetValue<string>() == slug)!;

    [Fact]
    public async Task The_next_publish_lists_the_document_as_reviewed_and_carries_the_new_dates_and_signature()
    {
        var document = await factory.DocumentAsync("spinal-tumor");
        var published = document.Latest;
        using var http = factory.CreateClient();
        var before = await JsonAsync(http, "/api/v1/feed");
        var beforeId = before["snapshot"]!["id"]!.GetValue<int>();
        var beforeItem = Item(before, "spinal-tumor").ToJsonString();

        factory.Clock.Advance(TimeSpan.FromDays(1000));
        var now = factory.Now;
        using (var reviewer = await factory.LoginAsync(PortalFactory.Reviewer))
        {
            var response = await reviewer.DecideAsync(published.Id, "Keep", (await reviewer.SignFormAsync(published.Id)).Remove("Kind"));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        using var publisher = await factory.LoginAsync(PortalFactory.Publisher);
        var page = await publisher.GetPageAsync("/Publish");
        var row = Assert.Single(page.Document.QuerySelectorAll("#pending-changes li"));
        Assert.Contains("Reviewed", row.QuerySelector(".badge")!.TextContent);
        Assert.Contains("Spinal tumor", row.TextContent);
        Assert.Contains("kept as it is at its periodic review", row.TextContent);
        Assert.Equal(HttpStatusCode.Redirect, (await publisher.PublishAsync("Spinal tumour kept at its periodic review.")).StatusCode);

        var after = await JsonAsync(http, "/api/v1/feed");
        var item = Item(after, "spinal-tumor");
        Assert.Equal(1, item["version"]!.GetValue<int>());
        Assert.Equal(now, item["lastReviewed"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Equal(now.AddMonths(36), item["reviewDue"]!.GetValue<DateTime>().ToUniversalTime());
        var signature = item["approvals"]!.AsArray()[^1]!;
        Assert.Equal(("periodic", Domain.Approval.PeriodicMeaning), (signature["kind"]!.GetValue<string>(), signature["meaning"]!.GetValue<string>()));

        // /changes lists it as changed; the earlier snapshot still serves its item as it was.
        var changes = await JsonAsync(http, $"/api/v1/changes?since={beforeId}");
        Assert.Equal(["spinal-tumor"], changes["changed"]!.AsArray().Select(i => i!["slug"]!.GetValue<string>()));
        Assert.Empty(changes["removed"]!.AsArray());
        Assert.Equal(beforeItem, Item(await JsonAsync(http, $"/api/v1/snapshots/{beforeId}"), "spinal-tumor").ToJsonString());

        // Nothing more to publish, and the audit line names the review.
        Assert.Contains("Nothing new has been approved", (await publisher.GetPageAsync("/Publish")).Text);
        Assert.True(await factory.WithDbAsync(db => db.AuditTrail.AnyAsync(e => e.Action == AuditActions.SnapshotPublished && e.Details.Contains("spinal-tumor v1 kept at periodic review"))));
    }
}
