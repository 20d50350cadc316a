namespace ContentPortal.Domain;

/// <summary>A downstream app that wants a signed POST when a snapshot is published.</summary>
public sealed class WebhookSubscription : Aggregate
{
    public const int MinSecretLength = 16;

    private WebhookSubscription()
    {
    }

    public Guid Id { get; private set; }

    public string Url { get; private set; } = "";

    /// <summary>Shared with the subscriber, who checks the signature with it.</summary>
    public string Secret { get; private set; } = "";

    public bool Active { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public string CreatedByName { get; private set; } = "";

    /// <summary>
    /// A new subscription with a secret the portal makes (<see cref="WebhookSecret.Generate"/>): admins never type
    /// one, so every secret is long, random and in the Standard Webhooks form the subscriber's library expects.
    /// </summary>
    public static WebhookSubscription Create(string? url, Actor by, DateTime at) => Create(url, WebhookSecret.Generate(), by, at);

    /// <summary>A subscription with a secret that already exists (a subscriber set up before secrets were generated; tests).</summary>
    public static WebhookSubscription Create(string? url, string? secret, Actor by, DateTime at)
    {
        by.Require(Roles.Admin, "manage webhooks");
        var errors = new Dictionary<string, string>();
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || url!.Trim().Length > 2000)
        {
            errors["Url"] = "Enter the full address the portal should POST to, starting with https:// (or http://).";
        }

        if (secret is null || secret.Trim().Length < MinSecretLength)
        {
            errors["Secret"] = $"Use a secret of at least {MinSecretLength} characters (leave it empty to have one made for you).";
        }

        if (errors.Count > 0)
        {
            throw new InvalidContentException(errors);
        }

        var subscription = new WebhookSubscription { Id = Guid.NewGuid(), Url = uri!.ToString(), Secret = secret!.Trim(), Active = true, CreatedAt = at, CreatedByName = by.DisplayName };
        // The secret is never written to the audit trail.
        subscription.Audit(by, at, AuditActions.WebhookSubscribed, $"webhook:{subscription.Id}", $"Subscribed {subscription.Url}");
        return subscription;
    }

    public void SetActive(bool active, Actor by, DateTime at)
    {
        by.Require(Roles.Admin, "manage webhooks");
        if (Active == active)
        {
            throw new RefusedException(active ? "This subscription is already active." : "This subscription is already paused.");
        }

        Active = active;
        Audit(by, at, active ? AuditActions.WebhookResumed : AuditActions.WebhookPaused, $"webhook:{Id}", $"{(active ? "Resumed" : "Paused")} {Url}");
    }
}

/// <summary>Webhook secrets in the Standard Webhooks form (standardwebhooks.com): "whsec_" + base64 of random bytes.</summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";

    /// <summary>32 random bytes (the standard asks for 24 to 64).</summary>
    public const int Bytes = 32;

    public static string Generate() => Prefix + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(Bytes));
}

/// <summary>
/// When to try a webhook delivery again: quickly at first, then less often, and give up 24 hours
/// after the delivery was created (the subscriber can still fetch /api/v1/changes to catch up).
/// </summary>
public static class WebhookRetry
{
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromHours(24);

    private static readonly TimeSpan[] Backoff =
    [
        TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1),
    ];

    /// <summary>The wait after the given number of failed attempts (1 = the first failed).</summary>
    public static TimeSpan Delay(int failedAttempts) =>
        failedAttempts < 1 ? TimeSpan.Zero : Backoff[Math.Min(failedAttempts, Backoff.Length) - 1];

    /// <summary>The next attempt's time, or null when the delivery should give up.</summary>
    public static DateTime? NextAttempt(DateTime createdAt, int failedAttempts, DateTime lastAttemptAt)
    {
        var next = lastAttemptAt + Delay(failedAttempts);
        return next <= createdAt + GiveUpAfter ? next : null;
    }
}

public enum DeliveryStatus
{
    Pending,
    Delivered,
    GaveUp,
}

/// <summary>One try at delivering a webhook: when, the HTTP status (if any answer came), or the error.</summary>
public sealed class WebhookAttempt
{
    public WebhookAttempt(DateTime at, int? statusCode, string? error, int durationMs)
    {
        At = at;
        StatusCode = statusCode;
        Error = error;
        DurationMs = durationMs;
    }

    public DateTime At { get; private set; }

    public int? StatusCode { get; private set; }

    public string? Error { get; private set; }

    public int DurationMs { get; private set; }

    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>
/// A row of the durable outbox: written in the publish transaction, delivered afterwards by the
/// dispatcher, so a slow or dead subscriber never holds up a publish and nothing is lost on restart.
/// </summary>
public sealed class WebhookDelivery : Aggregate
{
    private readonly List<WebhookAttempt> _attempts = [];

    private WebhookDelivery()
    {
    }

    public Guid Id { get; private set; }

    public Guid SubscriptionId { get; private set; }

    public int SnapshotId { get; private set; }

    /// <summary>The exact JSON body, signed on each attempt with a fresh timestamp.</summary>
    public string Body { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    public DeliveryStatus Status { get; private set; }

    public DateTime? NextAttemptAt { get; private set; }

    /// <summary>Set when someone pressed Redeliver on an earlier delivery.</summary>
    public string? RedeliveredByName { get; private set; }

    /// <summary>Every try, in order. Attempts are the delivery's own log (shown on the Webhooks page), not audit lines.</summary>
    public IReadOnlyList<WebhookAttempt> Attempts => _attempts;

    public static WebhookDelivery Create(Guid subscriptionId, int snapshotId, string body, DateTime at) => new()
    {
        Id = Guid.NewGuid(),
        SubscriptionId = subscriptionId,
        SnapshotId = snapshotId,
        Body = body,
        CreatedAt = at,
        Status = DeliveryStatus.Pending,
        NextAttemptAt = at,
    };

    /// <summary>A fresh delivery of the same body (retries start again; the old one's log stays).</summary>
    public WebhookDelivery Redeliver(Actor by, DateTime at)
    {
        by.Require(Roles.Admin, "redeliver a webhook");
        var copy = Create(SubscriptionId, SnapshotId, Body, at);
        copy.RedeliveredByName = by.DisplayName;
        copy.Audit(by, at, AuditActions.WebhookRedelivered, $"webhook:{SubscriptionId}", $"Redelivery of snapshot {SnapshotId} requested");
        return copy;
    }

    public void Record(WebhookAttempt attempt)
    {
        if (Status != DeliveryStatus.Pending)
        {
            throw new RefusedException("This delivery is finished; use Redeliver to send it again.");
        }

        _attempts.Add(attempt);
        if (attempt.Succeeded)
        {
            Status = DeliveryStatus.Delivered;
            NextAttemptAt = null;
            return;
        }

        NextAttemptAt = WebhookRetry.NextAttempt(CreatedAt, _attempts.Count, attempt.At);
        if (NextAttemptAt is null)
        {
            Status = DeliveryStatus.GaveUp;
        }
    }
}
