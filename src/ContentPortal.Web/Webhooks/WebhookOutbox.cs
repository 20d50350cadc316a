using System.Text.Json;
using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Feed;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Webhooks;

/// <summary>
/// Writes one outbox row per active subscription inside the publish transaction (so a publish and its
/// notifications commit together), and wakes the dispatcher after the commit.
/// </summary>
public sealed class WebhookOutbox(IConfiguration configuration)
{
    private readonly SemaphoreSlim signal = new(0);

    /// <summary>Where consumers reach the feed; webhook bodies carry absolute URLs (configuration Feed:PublicBaseUrl).</summary>
    public string PublicBaseUrl { get; } = (configuration["Feed:PublicBaseUrl"] ?? "http://localhost:5080").TrimEnd('/');

    public async Task EnqueueAsync(PortalDbContext db, Snapshot snapshot, DateTime at, CancellationToken cancellationToken)
    {
        var subscriptions = await db.WebhookSubscriptions.Where(s => s.Active).Select(s => s.Id).ToListAsync(cancellationToken);
        if (subscriptions.Count == 0)
        {
            return;
        }

        var body = JsonSerializer.Serialize(
            new SnapshotPublishedEvent(
                "snapshot.published",
                snapshot.Id,
                snapshot.PublishedAt,
                $"{PublicBaseUrl}/api/v1/snapshots/{snapshot.Id}",
                $"{PublicBaseUrl}/api/v1/changes?since={snapshot.Id - 1}"),
            FeedBuilder.Json);
        db.WebhookDeliveries.AddRange(subscriptions.Select(id => WebhookDelivery.Create(id, snapshot.Id, body, at)));
    }

    public void Wake()
    {
        if (signal.CurrentCount == 0)
        {
            signal.Release();
        }
    }

    /// <summary>Waits for a wake-up or the poll interval, whichever comes first.</summary>
    public Task<bool> WaitAsync(TimeSpan interval, CancellationToken cancellationToken) => signal.WaitAsync(interval, cancellationToken);
}

public sealed record SnapshotPublishedEvent(string Event, int SnapshotId, DateTime PublishedAt, string FeedUrl, string ChangesUrl);
