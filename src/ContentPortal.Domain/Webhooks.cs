namespace ContentPortal.Domain;

/// <summary>A downstream app that wants a signed POST when a snapshot is published.</summary>
public sealed class WebhookSubscription
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

        return new WebhookSubscription { Id = Guid.NewGuid(), Url = uri!.ToString(), Secret = secret!.Trim(), Active = true, CreatedAt = at, CreatedByName = by.DisplayName };
    }

    public void SetActive(bool active, Actor by)
    {
        by.Require(Roles.Admin, "manage webhooks");
        if (Active == active)
        {
            throw new RefusedException(active ? "This subscription is already active." : "This subscription is already paused.");
        }

        Active = active;
    }
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
