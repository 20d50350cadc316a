using ContentPortal.Domain;
using ContentPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Feed;

/// <summary>The bytes of the current snapshot, exactly as stored at publish.</summary>
public sealed record CurrentFeed(int SnapshotId, byte[] Json, string ETag, DateTime PublishedAt);

/// <summary>
/// Holds the current feed in memory and swaps it in one reference assignment after a publish
/// commits, so a request sees the old snapshot or the new one, never a mix, and never touches the
/// database. One instance per process: a multi-instance deployment must call Reload (docs/operations.md).
/// </summary>
public sealed class PublishedFeed
{
    private CurrentFeed? _current;

    public CurrentFeed? Current => Volatile.Read(ref _current);

    public void Show(Snapshot snapshot)
    {
        var next = new CurrentFeed(snapshot.Id, snapshot.FeedJson, snapshot.ETag, snapshot.PublishedAt);
        // Never step back to an older snapshot if two publishes finish out of order.
        CurrentFeed? seen;
        do
        {
            seen = Volatile.Read(ref _current);
            if (seen is not null && seen.SnapshotId >= next.SnapshotId)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _current, next, seen) != seen);
    }

    public async Task ReloadAsync(PortalDbContext db, CancellationToken cancellationToken = default)
    {
        var latest = await db.Snapshots.AsNoTracking().OrderByDescending(s => s.Id).FirstOrDefaultAsync(cancellationToken);
        if (latest is not null)
        {
            Show(latest);
        }
    }
}
