using ContentPortal.Domain;
using ContentPortal.Web.Publishing;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Feed;

/// <summary>Publisher (one transaction per publish): racing publishes, and a publish that dies before its commit.</summary>
public sealed class PublisherTests : FeedAppTests
{
    private const string Article = "lower-back-pain-when-lying-down";

    [Fact]
    public async Task Racing_publishes_get_one_snapshot_each_and_no_duplicate_ids()
    {
        await app.ApproveNewVersionAsync(Article, c => c with { Summary = "Race." });

        var attempts = await Task.WhenAll(Enumerable.Range(0, 4).Select(async i =>
        {
            try
            {
                return (Snapshot?)await app.PublishAsync($"Racer {i}");
            }
            catch (RefusedException)
            {
                return null;
            }
        }));

        var won = Assert.Single(attempts, s => s is not null)!;
        Assert.Equal(2, won.Id);
        var ids = await app.WithDbAsync(db => Task.FromResult(db.Snapshots.Select(s => s.Id).OrderBy(i => i).ToList()));
        Assert.Equal([1, 2], ids);
        Assert.Equal(await app.ExpectedFeedAsync(won), await client.GetByteArrayAsync("/api/v1/feed"));
        Assert.Equal(won.ETag, (await client.GetAsync("/api/v1/feed")).Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Warming_up_the_publish_path_at_start_up_stores_and_tracks_nothing()
    {
        var feed = await client.GetByteArrayAsync("/api/v1/feed");
        var (renditions, audit) = await app.WithDbAsync(async db => (await db.Renditions.CountAsync(), await db.AuditTrail.CountAsync()));

        await app.WithDbAsync(async db =>
        {
            Assert.True(await new FeedItems(db, app.Feed).WarmUpAsync(CancellationToken.None)); // it rendered the first item
            Assert.Empty(db.ChangeTracker.Entries());
        });

        Assert.Equal((renditions, audit), await app.WithDbAsync(async db => (await db.Renditions.CountAsync(), await db.AuditTrail.CountAsync())));
        Assert.Equal(feed, await client.GetByteArrayAsync("/api/v1/feed"));
    }

    [Fact]
    public async Task A_publish_that_dies_before_its_commit_leaves_the_previous_snapshot_whole_also_after_a_restart()
    {
        var before = await client.GetByteArrayAsync("/api/v1/feed");
        await app.ApproveNewVersionAsync(Article, c => c with { Title = "Never published" });

        app.CrashAtNextCommit();
        await Assert.ThrowsAsync<IOException>(() => app.PublishAsync("Dies half way"));

        Assert.Equal(before, await client.GetByteArrayAsync("/api/v1/feed"));
        Assert.Equal([1], await app.WithDbAsync(db => Task.FromResult(db.Snapshots.Select(s => s.Id).ToList())));
        Assert.Equal(0, await app.WithDbAsync(db => Task.FromResult(db.Snapshots.SelectMany(s => s.Entries).Count(e => e.Title == "Never published"))));

        // A restart on the same database serves snapshot 1, whole; the next publish is snapshot 2.
        await using var restarted = new PortalFactory(PortalOptions.WithFakeClock() with { Database = app.Database });
        var restartedClient = restarted.CreateClient();
        Assert.Equal(before, await restartedClient.GetByteArrayAsync("/api/v1/feed"));
        var second = await restarted.PublishAsync("After the crash");
        Assert.Equal(2, second.Id);
        Assert.Contains("Never published", await restartedClient.GetStringAsync("/api/v1/feed"));
    }
}
