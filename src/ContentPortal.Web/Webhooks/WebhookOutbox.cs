namespace ContentPortal.Web.Webhooks;

/// <summary>
/// Wakes the dispatcher after a publish commits; the publish writes its outbox rows in its own transaction
/// (Publishing/WebhookNotices.cs).
/// </summary>
public sealed class WebhookOutbox(IConfiguration configuration)
{
    private readonly SemaphoreSlim signal = new(0);

    /// <summary>Where consumers reach the feed; webhook bodies carry absolute URLs (configuration Feed:PublicBaseUrl).</summary>
    public string PublicBaseUrl { get; } = (configuration["Feed:PublicBaseUrl"] ?? "http://localhost:5080").TrimEnd('/');

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

public sealed record SnapshotPublishedEvent(string Event, int SnapshotId, DateTime PublishedAt, string FeedUrl, string ChangesUrl,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] ContentPortal.Web.Feed.FeedAuditHead? AuditChainHead = null);
