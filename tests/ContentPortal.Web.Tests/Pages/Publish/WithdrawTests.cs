using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Pages.Publish;

/// <summary>
/// Withdraw on a date (Pages/Publish/Withdraw; shown on the document's page, the Publish page and the
/// dashboard): set with the typed text kept on refusal, cancel, and the scheduler's run that publishes the
/// current snapshot minus the document, once, with nothing else pending.
/// </summary>
public sealed class WithdrawTests
{
    private const string Withdrawn = "spinal-tumor";

    private const string Pending = "lower-back-pain-when-lying-down";

    private const string Reason = "Superseded by the 2026 NICE guideline.";

    // The publisher's browser is an hour ahead of UTC: getTimezoneOffset() is -60.
    private static (string Typed, string Offset) LocalIn(PortalFactory app, TimeSpan ahead) =>
        ((app.Now + ahead + TimeSpan.FromHours(1)).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), "-60");

    private static async Task<HttpResponseMessage> SetAsync(PortalClient publisher, Guid id, string typed, string offset, string reason)
    {
        var page = await publisher.GetPageAsync($"/Publish/Withdraw/{id}");
        return await publisher.PostFormAsync($"/Publish/Withdraw/{id}", page.Form()
            .Set("WithdrawOn", typed).Set("TimezoneOffset", offset).Set("Reason", reason));
    }

    [Fact]
    public async Task A_publisher_sets_it_and_when_due_the_scheduler_publishes_the_snapshot_without_it_once()
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        _ = app.Server;
        await app.WithDbAsync(async db =>
        {
            db.WebhookSubscriptions.Add(WebhookSubscription.Create("https://consumer.example/hook", TestActors.Admin, app.Now));
            await db.SaveChangesAsync();
        });
        var document = await app.DocumentAsync(Withdrawn);
        // Approved but not published: the withdrawal must not publish it.
        await app.ApproveNewVersionAsync(Pending, c => c with { Summary = "Waiting for the next publish." });
        using var publisher = await app.LoginAsync(PortalFactory.Publisher);

        var details = await publisher.GetPageAsync($"/Content/Details/{document.Id}");
        Assert.NotNull(details.Document.QuerySelector($"a[href='/Publish/Withdraw/{document.Id}']"));

        // Bad input: each message by its field, the typed text back, nothing saved.
        var past = LocalIn(app, -TimeSpan.FromHours(2));
        var refused = await HtmlPage.ReadAsync(await SetAsync(publisher, document.Id, past.Typed, past.Offset, "  "));
        Assert.Equal(HttpStatusCode.OK, refused.Response.StatusCode);
        Assert.Equal("Pick a time in the future.", refused.FieldError("WithdrawOn"));
        Assert.Equal("Say why it is withdrawn; the feed's note carries it.", refused.FieldError("Reason"));
        Assert.Equal(past.Typed, refused.FieldValue("WithdrawOn"));
        var garbled = await HtmlPage.ReadAsync(await SetAsync(publisher, document.Id, "next tuesday", "", Reason));
        Assert.Equal("Enter the date and time as the date picker gives it.", garbled.FieldError("WithdrawOn"));
        Assert.Equal(Reason, garbled.FieldValue("Reason"));
        Assert.False(await app.WithDbAsync(db => db.Withdrawals.AnyAsync()));

        var later = LocalIn(app, TimeSpan.FromDays(3));
        var set = await SetAsync(publisher, document.Id, later.Typed, later.Offset, Reason);
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        var withdrawal = await app.WithDbAsync(db => db.Withdrawals.AsNoTracking().SingleAsync());
        Assert.Equal((app.Now.AddDays(3), Reason, WithdrawalStatus.Pending), (withdrawal.DueAt, withdrawal.Reason, withdrawal.Status));

        details = await publisher.GetPageAsync($"/Content/Details/{document.Id}");
        Assert.Contains($"Withdrawing on {app.Now.AddDays(3).ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture)} (withdrawing in 3 days): {Reason}", details.Text);
        Assert.NotNull(details.Document.QuerySelector("form[action*='handler=Cancel'][action*='/Publish/Withdraw/']"));
        Assert.Contains($"{document.Latest.Title} withdrawing in 3 days", (await publisher.GetPageAsync("/")).Text);
        Assert.Contains("withdrawing in 3 days", (await publisher.GetPageAsync("/Publish")).Document.QuerySelector("#withdrawals-heading + p + table")!.TextContent);
        var twice = await HtmlPage.ReadAsync(await SetAsync(publisher, document.Id, later.Typed, later.Offset, Reason));
        Assert.Contains("cancel that first to change it", twice.Summary);

        app.Clock.Advance(TimeSpan.FromDays(3) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await app.Scheduler.RunDueAsync(default));
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await app.Scheduler.RunDueAsync(default));
        Assert.Equal(0, await app.Scheduler.RunDueAsync(default));

        Assert.Equal([1, 2], await app.SnapshotIdsAsync());
        withdrawal = await app.WithDbAsync(db => db.Withdrawals.AsNoTracking().SingleAsync());
        Assert.Equal((WithdrawalStatus.Withdrawn, 2), (withdrawal.Status, withdrawal.SnapshotId));
        var client = app.CreateClient();
        var feed = JsonNode.Parse(await client.GetStringAsync("/api/v1/feed"))!;
        Assert.Equal((2, "Pat Publisher"), (feed["snapshot"]!["id"]!.GetValue<int>(), feed["snapshot"]!["publishedBy"]!.GetValue<string>()));
        Assert.Equal(Withdrawal.NoteFor(document.Latest.Title, Reason), feed["snapshot"]!["note"]!.GetValue<string>());
        var changes = JsonNode.Parse(await client.GetStringAsync("/api/v1/changes?since=1"))!;
        Assert.Empty(changes["added"]!.AsArray());
        Assert.Empty(changes["changed"]!.AsArray());
        Assert.Equal(Withdrawn, Assert.Single(changes["removed"]!.AsArray())!["slug"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/articles/{Withdrawn}")).StatusCode);
        Assert.Equal(1, await app.WithDbAsync(db => db.WebhookDeliveries.CountAsync(d => d.SnapshotId == 2)));

        // The document is retired; the other approved change still waits for a publisher.
        Assert.True((await app.DocumentAsync(Withdrawn)).IsRetired);
        // Three days on, the morning's sign-in has expired.
        using var again = await app.LoginAsync(PortalFactory.Publisher);
        var publish = await again.GetPageAsync("/Publish");
        Assert.Contains("Lower back pain when lying down", publish.Document.QuerySelector("#publish-panel")!.TextContent);
        Assert.Contains("Withdrawn in snapshot 2.", publish.Text);
        var audit = await app.WithDbAsync(db => db.AuditTrail.AsNoTracking().Where(e => e.Subject == $"document:{document.Id}").Select(e => e.Action).ToListAsync());
        Assert.Contains(AuditActions.WithdrawalSet, audit);
        Assert.Contains(AuditActions.DocumentRetired, audit);
    }

    [Fact]
    public async Task A_cancelled_withdrawal_never_runs()
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        _ = app.Server;
        var document = await app.DocumentAsync(Withdrawn);
        using var publisher = await app.LoginAsync(PortalFactory.Publisher);
        var later = LocalIn(app, TimeSpan.FromHours(5));
        Assert.Equal(HttpStatusCode.Redirect, (await SetAsync(publisher, document.Id, later.Typed, later.Offset, Reason)).StatusCode);

        var details = await publisher.GetPageAsync($"/Content/Details/{document.Id}");
        Assert.Contains("withdrawing in 5 hours", details.Text);
        var form = details.Form("form[action*='handler=Cancel'][action*='/Publish/Withdraw/']");
        Assert.Equal(HttpStatusCode.Redirect, (await publisher.PostFormAsync($"/Publish/Withdraw/{document.Id}?handler=Cancel", form)).StatusCode);
        Assert.Contains("The withdrawal was cancelled; the document stays published.", (await publisher.GetPageAsync($"/Content/Details/{document.Id}")).Text);

        app.Clock.Advance(TimeSpan.FromHours(6));
        Assert.Equal(0, await app.Scheduler.RunDueAsync(default));
        Assert.Equal([1], await app.SnapshotIdsAsync());
        Assert.Equal(WithdrawalStatus.Cancelled, (await app.WithDbAsync(db => db.Withdrawals.AsNoTracking().SingleAsync())).Status);
        Assert.False((await app.DocumentAsync(Withdrawn)).IsRetired);
    }

    [Fact]
    public async Task An_editor_cannot_set_or_cancel_one_even_with_a_valid_token()
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        using var editor = await app.LoginAsync(PortalFactory.Editor);
        var token = (await editor.GetPageAsync("/Content")).Token;
        var id = (await app.DocumentAsync(Withdrawn)).Id;
        var later = LocalIn(app, TimeSpan.FromDays(1));

        Assert.Equal(HttpStatusCode.Forbidden, (await editor.PostFormAsync($"/Publish/Withdraw/{id}", [new("WithdrawOn", later.Typed), new("Reason", Reason)], token)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.PostFormAsync($"/Publish/Withdraw/{id}?handler=Cancel", [], token)).StatusCode);
        Assert.Null((await editor.GetPageAsync($"/Content/Details/{id}")).Document.QuerySelector("a[href^='/Publish/Withdraw/']"));
        Assert.False(await app.WithDbAsync(db => db.Withdrawals.AnyAsync()));
    }

    [Fact]
    public async Task A_reviewer_proposes_it_at_a_periodic_review_and_it_runs_only_once_a_publisher_confirms_it()
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        _ = app.Server;
        var document = await app.DocumentAsync(Withdrawn);
        var url = $"/Review/Version/{document.LatestApproved!.Id}?handler=ProposeWithdrawal";
        using var reviewer = await app.LoginAsync(PortalFactory.Reviewer);
        var form = (await reviewer.GetPageAsync($"/Review/Version/{document.LatestApproved!.Id}")).Form("form[action*='handler=ProposeWithdrawal']");
        var later = LocalIn(app, TimeSpan.FromDays(2));

        var refused = await HtmlPage.ReadAsync(await reviewer.PostFormAsync(url, form.Copy().Set("WithdrawOn", later.Typed).Set("TimezoneOffset", later.Offset).Set("WithdrawReason", "")));
        Assert.Equal("Say why it is withdrawn; the feed's note carries it.", refused.FieldError("WithdrawReason"));
        Assert.Equal(later.Typed, refused.FieldValue("WithdrawOn"));
        Assert.False(await app.WithDbAsync(db => db.Withdrawals.AnyAsync()));
        var proposed = await reviewer.PostFormAsync(url, form.Copy().Set("WithdrawOn", later.Typed).Set("TimezoneOffset", later.Offset).Set("WithdrawReason", Reason));
        Assert.Equal(HttpStatusCode.Redirect, proposed.StatusCode);
        Assert.Equal(WithdrawalStatus.Proposed, (await app.WithDbAsync(db => db.Withdrawals.AsNoTracking().SingleAsync())).Status);

        // A proposal never runs by itself.
        app.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await app.Scheduler.RunDueAsync(default));
        using var publisher = await app.LoginAsync(PortalFactory.Publisher);
        var details = await publisher.GetPageAsync($"/Content/Details/{document.Id}");
        Assert.Contains("Withdrawal proposed for", details.Text);
        Assert.Contains("it runs only once a publisher confirms it", details.Text);
        Assert.Contains("proposed withdrawing in 1 day", (await publisher.GetPageAsync("/")).Text);
        var confirmed = await publisher.PostFormAsync($"/Publish/Withdraw/{document.Id}?handler=Confirm", details.Form("form[action*='handler=Confirm']"));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        var withdrawal = await app.WithDbAsync(db => db.Withdrawals.AsNoTracking().SingleAsync());
        Assert.Equal((WithdrawalStatus.Pending, "Pat Publisher"), (withdrawal.Status, withdrawal.SetByName));

        app.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await app.Scheduler.RunDueAsync(default));
        Assert.Equal([1, 2], await app.SnapshotIdsAsync());
        Assert.Equal(WithdrawalStatus.Withdrawn, (await app.WithDbAsync(db => db.Withdrawals.AsNoTracking().SingleAsync())).Status);
        var audit = await app.WithDbAsync(db => db.AuditTrail.AsNoTracking().Where(e => e.Subject == $"document:{document.Id}").Select(e => e.Action).ToListAsync());
        Assert.Contains(AuditActions.WithdrawalProposed, audit);
    }
}
