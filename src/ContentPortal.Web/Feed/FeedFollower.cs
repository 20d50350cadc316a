using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Feed;

/// <summary>
/// Several instances: a publish committed on another instance is served here within one poll
/// (<c>FeedFollower:PollSeconds</c>, default 1 s). Each round asks for the newest snapshot id (the primary
/// key's last row: one index probe) and loads that snapshot only when it is newer than the one served;
/// <see cref="PublishedFeed"/> never steps back, and swaps whole snapshots, never a mix.
/// Registered on PostgreSQL only: on SQLite there is one instance, which shows its own publishes at once.
/// </summary>
public sealed class FeedFollower(
    IServiceScopeFactory scopes,
    PublishedFeed feed,
    TimeProvider clock,
    IConfiguration configuration,
    ILogger<FeedFollower> logger) : PollingService(configuration, "FeedFollower", 1, clock, logger)
{
    /// <summary>One round (public for tests): answers 1 when it moved to a newer snapshot.</summary>
    public Task<int> FollowAsync(CancellationToken cancellationToken) => RunRoundAsync(cancellationToken);

    protected override async Task<int> RoundAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var newest = await db.Snapshots.AsNoTracking().OrderByDescending(s => s.Id).Select(s => (int?)s.Id).FirstOrDefaultAsync(cancellationToken);
        if (newest is null || newest <= feed.Current?.SnapshotId)
        {
            return 0;
        }

        await feed.ReloadAsync(db, cancellationToken);
        Logger.LogInformation("Now serving snapshot {Snapshot}, published by another instance.", newest);
        return 1;
    }
}
