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
    public const string SnapshotPublished = "snapshot.published";

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
                $"{publicBaseUrl}/api/v1/changes?since={snapshot.Id - 1}&to={snapshot.Id}",
                FeedAuditHead.Of(snapshot)),
            FeedBuilder.Json);

        body = Envelope(SnapshotPublished, snapshot.PublishedAt, body);
        db.WebhookDeliveries.AddRange(subscriptions.Select(id => WebhookDelivery.Create(id, snapshot.Id, body, at)));
    }

    /// <summary>
    /// The Standard Webhooks payload: <c>{type, timestamp, data}</c>, the notice (its fields unchanged) as
    /// <c>data</c>. Wrapped after the notice is written so that what the notice carries stays in one place.
    /// </summary>
    public static string Envelope(string type, DateTime timestamp, string data) =>
        JsonSerializer.Serialize(new WebhookEnvelope(type, timestamp, JsonSerializer.Deserialize<JsonElement>(data)), FeedBuilder.Json);
}

/// <summary>The Standard Webhooks envelope (https://www.standardwebhooks.com/): timestamp is when the event happened.</summary>
public sealed record WebhookEnvelope(string Type, DateTime Timestamp, JsonElement Data);
