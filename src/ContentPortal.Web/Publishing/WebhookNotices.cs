using System.Text.Json;
using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Feed;
using ContentPortal.Web.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Publishing;

/// <summary>
/// The publish's webhook notices: one outbox row per active subscription, written inside the publish
/// transaction so a publish and its notifications commit together (the dispatcher is woken after the commit).
/// </summary>
public static class WebhookNotices
{
    public static async Task EnqueueAsync(PortalDbContext db, Snapshot snapshot, string publicBaseUrl, DateTime at, CancellationToken cancellationToken)
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
                $"{publicBaseUrl}/api/v1/snapshots/{snapshot.Id}",
                $"{publicBaseUrl}/api/v1/changes?since={snapshot.Id - 1}&to={snapshot.Id}"),
            FeedBuilder.Json);
        db.WebhookDeliveries.AddRange(subscriptions.Select(id => WebhookDelivery.Create(id, snapshot.Id, body, at)));
    }
}
