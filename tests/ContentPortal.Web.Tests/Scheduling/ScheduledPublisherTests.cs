using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Scheduling;

/// <summary>The scheduler (ScheduledPublisher) with a fake clock: on time, once, not when content changed, and after downtime.</summary>
public sealed class ScheduledPublisherTests
{
    private const string Article = "lower-back-pain-when-lying-down";

    private static Task<ScheduledPublish> ScheduleAsync(PortalFactory app, TimeSpan ahead, string note = "Morning release") =>
        app.WithPublisherAsync(publisher => publisher.ScheduleAsync(TestActors.Publisher, app.Now + ahead, note));

    private static Task<ScheduledPublish> ReloadAsync(PortalFactory app, Guid id) =>
        app.WithDbAsync(db => db.ScheduledPublishes.AsNoTracking().FirstAsync(s => s.Id == id));

    private static Task<int> SnapshotCountAsync(PortalFactory app) => app.WithDbAsync(db => db.Snapshots.CountAsync());

    [Fact]
    public async Task Publishes_at_its_time_once()
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        _ = app.Server;
        await app.ApproveNewVersionAsync(Article, c => c with { Summary = "Scheduled summary." });
        var schedule = await ScheduleAsync(app, TimeSpan.FromHours(2));

        app.Clock.Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await app.Scheduler.RunDueAsync(default));
        Assert.Equal(1, await SnapshotCountAsync(app));

        app.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await app.Scheduler.RunDueAsync(default));
        Assert.Equal(0, await app.Scheduler.RunDueAsync(default));

        var after = await ReloadAsync(app, schedule.Id);
        Assert.Equal((ScheduleStatus.Published, 2), (after.Status, after.SnapshotId));
        Assert.Equal(2, await SnapshotCountAsync(app));
        var client = app.CreateClient();
        var feed = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync("/api/v1/feed"))!;
        Assert.Equal((2, "Morning release", "Tess Publisher"), (feed["snapshot"]!["id"]!.GetValue<int>(), feed["snapshot"]!["note"]!.GetValue<string>(), feed["snapshot"]!["publishedBy"]!.GetValue<string>()));
        Assert.Equal(app.Now, feed["snapshot"]!["publishedAt"]!.GetValue<DateTime>().ToUniversalTime());
    }

    [Fact]
    public async Task Content_no_longer_approved_is_not_published_and_the_reason_is_kept()
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        _ = app.Server;
        await app.ApproveNewVersionAsync(Article, c => c with { Summary = "Scheduled summary." });
        var schedule = await ScheduleAsync(app, TimeSpan.FromMinutes(30));
        await app.RetireAsync(Article);

        app.Clock.Advance(TimeSpan.FromMinutes(31));
        await app.Scheduler.RunDueAsync(default);

        var after = await ReloadAsync(app, schedule.Id);
        Assert.Equal(ScheduleStatus.NotPublished, after.Status);
        Assert.Contains("\u201cLower back pain when lying down\u201d version 2 is no longer approved for publishing", after.Outcome);
        Assert.Equal(1, await SnapshotCountAsync(app));
    }

    [Fact]
    public async Task A_cancelled_schedule_never_runs()
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        _ = app.Server;
        await app.ApproveNewVersionAsync(Article, c => c with { Summary = "Scheduled summary." });
        var schedule = await ScheduleAsync(app, TimeSpan.FromMinutes(30));
        await app.WithDbAsync(async db =>
        {
            (await db.ScheduledPublishes.FirstAsync(s => s.Id == schedule.Id)).Cancel(TestActors.Publisher, app.Now);
            await db.SaveChangesAsync();
        });

        app.Clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, await app.Scheduler.RunDueAsync(default));
        Assert.Equal(ScheduleStatus.Cancelled, (await ReloadAsync(app, schedule.Id)).Status);
        Assert.Equal(1, await SnapshotCountAsync(app));
    }

    [Fact]
    public async Task A_schedule_that_fell_due_while_the_app_was_down_runs_once_on_start()
    {
        var database = TestDatabase.CreateTemporary();
        try
        {
            Guid id;
            await using (var before = new PortalFactory(PortalOptions.WithFakeClock() with { Database = database }))
            {
                _ = before.Server;
                await before.ApproveNewVersionAsync(Article, c => c with { Summary = "Scheduled summary." });
                id = (await ScheduleAsync(before, TimeSpan.FromMinutes(10))).Id;
            }

            // Down for an hour; the service's first round at start-up finds it due.
            var later = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(PortalFactory.Start.AddHours(1));
            await using (var after = new PortalFactory(new PortalOptions { Database = database, Clock = later, BackgroundScheduler = true }))
            {
                _ = after.Server;
                var deadline = DateTime.UtcNow.AddSeconds(20);
                // The feed shows the new snapshot a moment after the commit that marks the schedule published
                // (the audit anchor is written in between), so wait for both.
                while (((await ReloadAsync(after, id)).Status == ScheduleStatus.Pending || after.Feed.Current?.SnapshotId != 2) && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100);
                }

                Assert.Equal(ScheduleStatus.Published, (await ReloadAsync(after, id)).Status);
                Assert.Equal(2, after.Feed.Current!.SnapshotId);
            }

            await using (var again = new PortalFactory(new PortalOptions { Database = database, Clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(PortalFactory.Start.AddHours(2)) }))
            {
                _ = again.Server;
                Assert.Equal(0, await again.Scheduler.RunDueAsync(default));
                Assert.Equal(2, await SnapshotCountAsync(again));
                Assert.Equal(2, again.Feed.Current!.SnapshotId);
            }
        }
        finally
        {
            database.Delete();
        }
    }
}
