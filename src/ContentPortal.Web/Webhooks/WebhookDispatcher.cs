using System.Diagnostics;
using System.Text;
using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Webhooks;

/// <summary>
/// Delivers outbox rows that are due, each in its own short request with a timeout, so a slow or dead
/// subscriber only delays its own retries. Runs apart from publishing; after a restart it carries on
/// from the database (rows stay Pending until delivered or given up after 24 h).
/// </summary>
public sealed class WebhookDispatcher(
    IServiceScopeFactory scopes,
    IHttpClientFactory httpClients,
    WebhookOutbox outbox,
    TimeProvider clock,
    IConfiguration configuration,
    ILogger<WebhookDispatcher> logger) : PollingService(configuration, "Webhooks", 5, clock, logger)
{
    public const string HttpClientName = "webhooks";

    /// <summary>One round: every due delivery gets one attempt (public for tests).</summary>
    public Task<int> DeliverDueAsync(CancellationToken cancellationToken) => RunRoundAsync(cancellationToken);

    protected override Task<int> RoundAsync(CancellationToken cancellationToken) => DeliverDueOnceAsync(cancellationToken);

    // A publish wakes the dispatcher at once; otherwise it looks again after the interval.
    protected override Task WaitAsync(CancellationToken cancellationToken) => outbox.WaitAsync(Interval, cancellationToken);

    private async Task<int> DeliverDueOnceAsync(CancellationToken cancellationToken)
    {
        // Several instances: one delivers at a time, so no delivery is attempted twice at once.
        await using var turn = await ClusterLocks.TryTakeTurnAsync(scopes, ClusterLocks.WebhookRound, cancellationToken);
        if (turn is null)
        {
            return 0;
        }

        var now = Clock.GetUtcNow().UtcDateTime;
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            due = await db.WebhookDeliveries.AsNoTracking()
                // A paused subscription's queued deliveries wait (retries included); resuming picks them up again.
                .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now
                    && db.WebhookSubscriptions.Any(s => s.Id == d.SubscriptionId && s.Active))
                .OrderBy(d => d.NextAttemptAt)
                .Select(d => d.Id)
                .Take(100)
                .ToListAsync(cancellationToken);
        }

        // Subscribers are independent: one hanging must not hold up the others.
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var delivery = await db.WebhookDeliveries.FirstAsync(d => d.Id == id, ct);
            var subscription = await db.WebhookSubscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == delivery.SubscriptionId, ct);
            if (subscription is null || !subscription.Active || delivery.Status != DeliveryStatus.Pending)
            {
                return;
            }

            delivery.Record(await AttemptAsync(subscription, delivery, ct));
            await db.SaveChangesAsync(ct);
        });
        return due.Count;
    }

    private async Task<WebhookAttempt> AttemptAsync(WebhookSubscription subscription, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var started = Clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(subscription.Secret, started.ToUnixTimeSeconds(), delivery.Body));
        request.Headers.Add("ContentPortal-Delivery", delivery.Id.ToString());
        StandardWebhookSignature.AddHeaders(request.Headers, subscription.Secret, delivery.Id.ToString(), started, delivery.Body);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            // Redirects are not followed (the handler); a 3xx is a failed attempt like any other non-2xx.
            return new WebhookAttempt(started.UtcDateTime, (int)response.StatusCode, response.IsSuccessStatusCode ? null : FailureClass(response.StatusCode), (int)watch.ElapsedMilliseconds);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var error = FailureClass(e);
            Logger.LogWarning(e, "Webhook delivery {Delivery} to {Url} failed: {Error}", delivery.Id, subscription.Url, error);
            return new WebhookAttempt(started.UtcDateTime, null, error, (int)watch.ElapsedMilliseconds);
        }
    }

    /// <summary>
    /// What the page shows: a class of failure, never the socket's own message (which tells an admin, or
    /// whoever can read the page, which internal ports are open). The log keeps the detail.
    /// </summary>
    public static string FailureClass(Exception e) => e switch
    {
        TaskCanceledException => "No answer within the timeout.",
        _ when Inner<WebhookTargets.TargetRefusedException>(e) => WebhookTargets.Refused,
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "The host name did not resolve.",
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => "The secure connection failed.",
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "Could not connect.",
        _ => "The request failed.",
    };

    private static string FailureClass(System.Net.HttpStatusCode status) =>
        (int)status is >= 300 and < 400 ? "Redirected; redirects are not followed." : $"The subscriber answered {(int)status}.";

    private static bool Inner<T>(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T)
            {
                return true;
            }
        }

        return false;
    }
}
