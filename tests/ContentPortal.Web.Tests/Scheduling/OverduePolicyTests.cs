using System.Net;
using System.Text.Json.Nodes;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using ContentPortal.Web.Tests.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ContentPortal.Web.Tests.Scheduling;

/// <summary>
/// The overdue policy run by the scheduler's round (Content:OverdueAction, Content:OverdueGraceDays): a published
/// document whose review falls due is flagged through a new snapshot by the overdue policy, once; with Withdraw it
/// is withdrawn after the grace days; a round missed while the portal was down runs at start-up.
/// </summary>
public sealed class OverduePolicyTests
{
    // Re-reviewed (a new version) a day after the seed import: not yet due when the rest falls due.
    private const string Reviewed = "lower-back-pain-when-lying-down";

    private const string Flagged = "spinal-tumor";

    // The seed is imported at the fake clock's start, with a review due 36 months later.
    private static readonly DateTime Due = PortalFactory.Start.UtcDateTime.AddMonths(36);

    private static async Task<JsonNode> JsonAsync(HttpClient http, string url) => JsonNode.Parse(await http.GetStringAsync(url))!;

    private static IEnumerable<JsonNode> Items(JsonNode feed) =>
        feed["articles"]!.AsArray().Concat(feed["redFlagLists"]!.AsArray()).Select(i => i!);

    private static IEnumerable<string> Slugs(JsonNode changes, string list) => changes[list]!.AsArray().Select(i => i!["slug"]!.GetValue<string>());

    private static async Task<Snapshot> ReviseAndPublishAsync(PortalFactory app, string slug, string note)
    {
        await app.ApproveNewVersionAsync(slug, c => c with { Summary = "Re-reviewed against the current guideline." });
        return await app.PublishAsync(note);
    }

    [Fact]
    public async Task Documents_falling_due_are_flagged_in_one_snapshot_by_the_overdue_policy_and_stay_flagged_until_a_new_version()
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        _ = app.Server;
        await app.WithDbAsync(async db =>
        {
            db.WebhookSubscriptions.Add(WebhookSubscription.Create("https://consumer.example/hook", TestActors.Admin, app.Now));
            await db.SaveChangesAsync();
        });
        app.Clock.Advance(TimeSpan.FromDays(1));
        await ReviseAndPublishAsync(app, Reviewed, "Lying down re-reviewed.");
        using var http = app.CreateClient();
        var unflagged = Items(await JsonAsync(http, "/api/v1/feed")).Single(i => i["slug"]!.GetValue<string>() == Flagged).ToJsonString();

        app.Clock.Advance(Due - app.Now - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await app.Scheduler.RunDueAsync(default));
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await app.Scheduler.RunDueAsync(default));
        Assert.Equal(0, await app.Scheduler.RunDueAsync(default));

        Assert.Equal([1, 2, 3], await app.SnapshotIdsAsync());
        var feed = await JsonAsync(http, "/api/v1/feed");
        Assert.Equal(("Overdue policy", 3), (feed["snapshot"]!["publishedBy"]!.GetValue<string>(), feed["snapshot"]!["id"]!.GetValue<int>()));
        Assert.StartsWith("Review overdue: \u201c", feed["snapshot"]!["note"]!.GetValue<string>());
        Assert.Contains("Spinal tumor", feed["snapshot"]!["note"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        var items = Items(feed).ToList();
        Assert.Equal(6, items.Count);
        Assert.All(items.Where(i => i["slug"]!.GetValue<string>() != Reviewed), i => Assert.True(i["reviewOverdue"]!.GetValue<bool>()));
        Assert.Null(items.Single(i => i["slug"]!.GetValue<string>() == Reviewed)["reviewOverdue"]);
        // Additive: the flagged feed is valid against the schema, which refuses anything but a boolean.
        var schema = await ContentPortal.Web.Tests.Feed.FeedSchemaCheck.LoadAsync(http);
        var text = await http.GetStringAsync("/api/v1/feed");
        ContentPortal.Web.Tests.Feed.FeedSchemaCheck.AssertValid(schema, text);
        ContentPortal.Web.Tests.Feed.FeedSchemaCheck.AssertInvalid(schema, text.Replace("\"reviewOverdue\":true", "\"reviewOverdue\":\"yes\""));
        // The feed served is the one the versions render to, flags included (the renditions' key has the flag).
        var third = await app.WithDbAsync(db => db.Snapshots.AsNoTracking().SingleAsync(s => s.Id == 3));
        Assert.Equal(await app.ExpectedFeedAsync(third), await http.GetByteArrayAsync("/api/v1/feed"));

        // /changes lists them as changed; the earlier snapshot still serves its item unflagged.
        var changes = await JsonAsync(http, "/api/v1/changes?since=2");
        Assert.Equal(5, Slugs(changes, "changed").Count());
        Assert.DoesNotContain(Reviewed, Slugs(changes, "changed"));
        Assert.Empty(changes["added"]!.AsArray());
        Assert.Empty(changes["removed"]!.AsArray());
        Assert.Equal(unflagged, Items(await JsonAsync(http, "/api/v1/snapshots/2")).Single(i => i["slug"]!.GetValue<string>() == Flagged).ToJsonString());
        Assert.Equal(1, await app.WithDbAsync(db => db.WebhookDeliveries.CountAsync(d => d.SnapshotId == 3)));
        var audit = await app.WithDbAsync(db => db.AuditTrail.AsNoTracking().SingleAsync(e => e.Subject == "snapshot:3"));
        Assert.Equal((Actor.OverduePolicy.UserId, "Overdue policy", AuditActions.SnapshotPublished), (audit.ActorId, audit.ActorName, audit.Action));
        Assert.Contains($"{Flagged} v1 review overdue", audit.Details);

        // Another publish keeps the flags; a new version of one moves its review date forward and clears its flag.
        await ReviseAndPublishAsync(app, Flagged, "Spinal tumour revised.");
        var after = Items(await JsonAsync(http, "/api/v1/feed")).ToList();
        Assert.Null(after.Single(i => i["slug"]!.GetValue<string>() == Flagged)["reviewOverdue"]);
        Assert.Equal(4, after.Count(i => i["reviewOverdue"]?.GetValue<bool>() == true));
        Assert.Equal([Flagged], Slugs(await JsonAsync(http, "/api/v1/changes?since=3"), "changed"));
        Assert.Equal(0, await app.Scheduler.RunDueAsync(default));
        Assert.Equal([1, 2, 3, 4], await app.SnapshotIdsAsync());
    }

    [Fact]
    public async Task A_document_approved_when_its_review_is_overdue_already_is_flagged_by_the_publish_itself()
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        _ = app.Server;
        app.Clock.Advance(Due - app.Now + TimeSpan.FromDays(1));
        // A minor change keeps the review dates before it, so the new version is overdue from the start.
        await app.WithDbAsync(async db =>
        {
            var document = await db.Documents.FirstAsync(d => d.Slug == Flagged);
            var draft = document.OpenDraft(TestActors.Editor, app.Now, out _);
            document.Edit(draft, draft.CurrentContent() with { Summary = "A typo fixed." }, "Typo", draft.Revision, TestActors.Editor, app.Now);
            document.Submit(draft, "Typo", TestActors.Editor, app.Now);
            document.Sign(draft, new SignRequest(TestActors.Reviewer, draft.Revision, ReviewKind.Minor, app.Now) { PasswordVerified = true });
            await db.SaveChangesAsync();
        });

        await app.PublishAsync("Typo fixed.");

        using var http = app.CreateClient();
        var item = Items(await JsonAsync(http, "/api/v1/feed")).Single(i => i["slug"]!.GetValue<string>() == Flagged);
        Assert.Equal((2, true), (item["version"]!.GetValue<int>(), item["reviewOverdue"]!.GetValue<bool>()));
        // The round then flags the rest, and leaves this one as it is.
        Assert.Equal(1, await app.Scheduler.RunDueAsync(default));
        Assert.DoesNotContain(Flagged, Slugs(await JsonAsync(http, "/api/v1/changes?since=2"), "changed"));
    }

    [Fact]
    public async Task Withdraw_flags_first_then_withdraws_after_the_grace_days_with_the_reason_once()
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock() with
        {
            Settings = new Dictionary<string, string> { ["Content:OverdueAction"] = "Withdraw", ["Content:OverdueGraceDays"] = "10" },
        });
        _ = app.Server;
        // Re-reviewed later than the grace days, so it is not due within them.
        app.Clock.Advance(TimeSpan.FromDays(30));
        await ReviseAndPublishAsync(app, Reviewed, "Lying down re-reviewed.");
        // A publisher's withdrawal set for later than the grace is superseded by the policy.
        var later = await app.WithDbAsync(async db =>
        {
            var document = await db.Documents.FirstAsync(d => d.Slug == Flagged);
            var withdrawal = Withdrawal.Set(document, null, TestActors.Publisher, app.Now, Due.AddDays(100), "Superseded by the new guideline.");
            db.Withdrawals.Add(withdrawal);
            await db.SaveChangesAsync();
            return withdrawal.Id;
        });

        app.Clock.Advance(Due - app.Now);
        Assert.Equal(1, await app.Scheduler.RunDueAsync(default));
        Assert.Equal([1, 2, 3], await app.SnapshotIdsAsync());
        using (var publisher = await app.LoginAsync(PortalFactory.Publisher))
        {
            var dashboard = await publisher.GetPageAsync("/");
            Assert.Equal(5, dashboard.Document.QuerySelectorAll(".overdue-withdrawal").Length);
            Assert.Contains("the overdue policy withdraws it", dashboard.Text);
        }

        app.Clock.Advance(TimeSpan.FromDays(10) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await app.Scheduler.RunDueAsync(default));
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(5, await app.Scheduler.RunDueAsync(default));
        Assert.Equal(0, await app.Scheduler.RunDueAsync(default));

        using var http = app.CreateClient();
        var feed = await JsonAsync(http, "/api/v1/feed");
        Assert.Equal([Reviewed], Items(feed).Select(i => i["slug"]!.GetValue<string>()));
        Assert.Equal("Overdue policy", feed["snapshot"]!["publishedBy"]!.GetValue<string>());
        var changes = await JsonAsync(http, "/api/v1/changes?since=3");
        Assert.Equal(5, Slugs(changes, "removed").Count());
        Assert.Empty(changes["changed"]!.AsArray());
        var withdrawals = await app.WithDbAsync(db => db.Withdrawals.AsNoTracking().ToListAsync());
        var byPolicy = withdrawals.Where(w => w.SetById == Actor.OverduePolicy.UserId).ToList();
        Assert.Equal(5, byPolicy.Count);
        Assert.All(byPolicy, w => Assert.Equal((WithdrawalStatus.Withdrawn, "review overdue", Due.AddDays(10)), (w.Status, w.Reason, w.DueAt)));
        var superseded = withdrawals.Single(w => w.Id == later);
        Assert.Equal((WithdrawalStatus.Cancelled, "Superseded: the overdue policy withdrew \u201cSpinal tumor\u201d first."), (superseded.Status, superseded.Outcome));
        Assert.Equal(5, await app.WithDbAsync(db => db.Documents.CountAsync(d => d.RetiredAt != null)));
        Assert.Equal(5, await app.WithDbAsync(db => db.AuditTrail.CountAsync(e => e.Action == AuditActions.DocumentRetired && e.ActorName == "Overdue policy")));
    }

    [Fact]
    public async Task A_review_that_fell_due_while_the_portal_was_down_is_flagged_once_at_start()
    {
        var database = TestDatabase.CreateTemporary();
        try
        {
            await using (var before = new PortalFactory(PortalOptions.WithFakeClock() with { Database = database }))
            {
                _ = before.Server;
            }

            await using (var after = new PortalFactory(new PortalOptions { Database = database, Clock = new FakeTimeProvider(Due.AddHours(1)), BackgroundScheduler = true }))
            {
                _ = after.Server;
                var deadline = DateTime.UtcNow.AddSeconds(20);
                while (after.Feed.Current?.SnapshotId != 2 && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100);
                }

                Assert.Equal(2, after.Feed.Current!.SnapshotId);
            }

            await using (var again = new PortalFactory(new PortalOptions { Database = database, Clock = new FakeTimeProvider(Due.AddHours(2)) }))
            {
                _ = again.Server;
                Assert.Equal(0, await again.Scheduler.RunDueAsync(default));
                Assert.Equal([1, 2], await again.SnapshotIdsAsync());
                Assert.Equal("Overdue policy", await again.WithDbAsync(db => db.Snapshots.Where(s => s.Id == 2).Select(s => s.PublishedByName).SingleAsync()));
            }
        }
        finally
        {
            database.Delete();
        }
    }

    [Fact]
    public async Task A_setting_the_portal_cannot_act_on_stops_start_up_naming_it()
    {
        var (exitCode, errors) = await KeyRingTests.RunPortalAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Content__OverdueAction"] = "Sometimes",
            ["Content__OverdueGraceDays"] = "-3",
            ["ConnectionStrings__Default"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"contentportal-refused-{Guid.NewGuid():N}.db")}",
        });

        Assert.Equal(2, exitCode);
        Assert.Contains("Content:OverdueAction is 'Sometimes'; use 'Flag' (the default) or 'Withdraw'.", errors);
        Assert.Contains("Content:OverdueGraceDays is '-3'; use a whole number of days from 0 to 3650 (default 30).", errors);
    }
}
