using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using ContentPortal.Domain;
using ContentPortal.Web.Webhooks;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Webhooks;

/// <summary>Signed deliveries from the outbox (WebhookDispatcher): retries after failures, dead and hanging subscribers.</summary>
public sealed class WebhookDispatcherTests
{
    private const string Article = "lower-back-pain-when-lying-down";
    private const string Secret = "whsec-test-0123456789";

    [Fact]
    public async Task A_failing_subscriber_is_retried_with_backoff_and_gets_a_verifiable_post()
    {
        using var subscriber = new Subscriber(HttpStatusCode.InternalServerError, HttpStatusCode.OK);
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        _ = app.Server;
        await SubscribeAsync(app, subscriber.Url);
        await app.ApproveNewVersionAsync(Article, c => c with { Summary = "Webhook summary." });
        var snapshot = await app.PublishAsync();

        Assert.Equal(1, await app.Dispatcher.DeliverDueAsync(default));
        var delivery = await DeliveryAsync(app);
        Assert.Equal(DeliveryStatus.Pending, delivery.Status);
        Assert.Equal(500, Assert.Single(delivery.Attempts).StatusCode);
        Assert.Equal(app.Now.AddSeconds(10), delivery.NextAttemptAt);

        app.Clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, await app.Dispatcher.DeliverDueAsync(default));
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await app.Dispatcher.DeliverDueAsync(default));

        delivery = await DeliveryAsync(app);
        Assert.Equal(DeliveryStatus.Delivered, delivery.Status);
        Assert.Equal([500, 200], delivery.Attempts.Select(a => a.StatusCode ?? 0));
        Assert.Equal(2, subscriber.Received.Count);
        var (signature, body) = subscriber.Received.Last();
        Assert.True(WebhookSignature.Verify(Secret, signature, body, app.Clock.GetUtcNow(), TimeSpan.FromMinutes(5)));
        var envelope = JsonNode.Parse(body)!;
        Assert.Equal("snapshot.published", envelope["type"]!.GetValue<string>());
        Assert.Equal(snapshot.PublishedAt, envelope["timestamp"]!.GetValue<DateTime>().ToUniversalTime());
        var json = envelope["data"]!;
        Assert.Equal("snapshot.published", json["event"]!.GetValue<string>());
        Assert.Equal(snapshot.Id, json["snapshotId"]!.GetValue<int>());
        Assert.Equal($"https://feed.example.org/api/v1/snapshots/{snapshot.Id}", json["feedUrl"]!.GetValue<string>());
        Assert.Equal($"https://feed.example.org/api/v1/changes?since={snapshot.Id - 1}&to={snapshot.Id}", json["changesUrl"]!.GetValue<string>());
        Assert.Equal(snapshot.PublishedAt, json["publishedAt"]!.GetValue<DateTime>().ToUniversalTime());
    }

    [Fact]
    public async Task Refused_connections_and_hanging_subscribers_are_retried_and_never_block_publishing()
    {
        using var hanging = new Subscriber(hang: TimeSpan.FromSeconds(30));
        var refusing = $"http://127.0.0.1:{FreePort()}/hook";
        await using var app = new PortalFactory(PortalOptions.WithFakeClock() with { WebhookTimeoutSeconds = 1 });
        _ = app.Server;
        await SubscribeAsync(app, refusing);
        await SubscribeAsync(app, hanging.Url);
        await app.ApproveNewVersionAsync(Article, c => c with { Summary = "Webhook summary." });

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var snapshot = await app.PublishAsync();
        watch.Stop();
        Assert.Equal(2, snapshot.Id);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"Publishing took {watch.Elapsed}");
        Assert.Equal(2, app.Feed.Current!.SnapshotId);

        Assert.Equal(2, await app.Dispatcher.DeliverDueAsync(default));

        var deliveries = await app.WithDbAsync(db => db.WebhookDeliveries.AsNoTracking().ToListAsync());
        Assert.Equal(2, deliveries.Count);
        Assert.All(deliveries, d =>
        {
            Assert.Equal(DeliveryStatus.Pending, d.Status);
            var attempt = Assert.Single(d.Attempts);
            Assert.Null(attempt.StatusCode);
            Assert.False(string.IsNullOrEmpty(attempt.Error));
            Assert.Equal(app.Now.AddSeconds(10), d.NextAttemptAt);
        });
        Assert.Contains(deliveries, d => d.Attempts[0].Error == "No answer within the timeout.");
    }

    [Fact]
    public async Task Pending_deliveries_survive_a_restart_and_give_up_after_24_hours()
    {
        var database = TestDatabase.CreateTemporary();
        using var subscriber = new Subscriber(HttpStatusCode.ServiceUnavailable);
        try
        {
            await using (var before = new PortalFactory(PortalOptions.WithFakeClock() with { Database = database }))
            {
                _ = before.Server;
                await SubscribeAsync(before, subscriber.Url);
                await before.ApproveNewVersionAsync(Article, c => c with { Summary = "Webhook summary." });
                await before.PublishAsync();
            }

            var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(PortalFactory.Start.AddMinutes(1));
            await using var after = new PortalFactory(new PortalOptions { Database = database, Clock = clock });
            _ = after.Server;
            Assert.Equal(1, await after.Dispatcher.DeliverDueAsync(default));
            for (var round = 0; round < 40 && (await DeliveryAsync(after)).Status == DeliveryStatus.Pending; round++)
            {
                clock.SetUtcNow((await DeliveryAsync(after)).NextAttemptAt!.Value);
                await after.Dispatcher.DeliverDueAsync(default);
            }

            var delivery = await DeliveryAsync(after);
            Assert.Equal(DeliveryStatus.GaveUp, delivery.Status);
            Assert.All(delivery.Attempts, a => Assert.Equal(503, a.StatusCode));
            Assert.True(delivery.Attempts[^1].At <= delivery.CreatedAt.AddHours(24));
            Assert.True(delivery.Attempts[^1].At > delivery.CreatedAt.AddHours(22));
            Assert.Equal(delivery.Attempts.Count, subscriber.Received.Count);
        }
        finally
        {
            database.Delete();
        }
    }

    [Fact]
    public async Task Redirects_are_not_followed_and_the_signature_goes_nowhere_else()
    {
        using var elsewhere = new Subscriber(HttpStatusCode.OK);
        using var redirecting = new Subscriber(HttpStatusCode.TemporaryRedirect) { RedirectTo = elsewhere.Url };
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        _ = app.Server;
        await SubscribeAsync(app, redirecting.Url);
        await app.ApproveNewVersionAsync(Article, c => c with { Summary = "Webhook summary." });
        await app.PublishAsync();

        Assert.Equal(1, await app.Dispatcher.DeliverDueAsync(default));

        var attempt = Assert.Single((await DeliveryAsync(app)).Attempts);
        Assert.Equal(307, attempt.StatusCode);
        Assert.Equal("Redirected; redirects are not followed.", attempt.Error);
        Assert.Single(redirecting.Received);
        Assert.Empty(elsewhere.Received);
    }

    [Fact]
    public async Task A_target_that_is_not_public_is_refused_at_delivery_too_and_the_page_shows_only_a_failure_class()
    {
        // Stored before the rules (or a name that resolved to a public address when subscribed): checked again at every delivery.
        using var subscriber = new Subscriber(HttpStatusCode.OK);
        var closedPort = $"http://127.0.0.1:{FreePort()}/hook";
        await using var app = new PortalFactory(PortalOptions.WithFakeClock() with { WebhookAllowedHosts = "" });
        _ = app.Server;
        await SubscribeAsync(app, subscriber.Url);
        await SubscribeAsync(app, closedPort);
        await app.ApproveNewVersionAsync(Article, c => c with { Summary = "Webhook summary." });
        await app.PublishAsync();

        Assert.Equal(2, await app.Dispatcher.DeliverDueAsync(default));

        var deliveries = await app.WithDbAsync(db => db.WebhookDeliveries.AsNoTracking().ToListAsync());
        Assert.All(deliveries, d => Assert.Equal(WebhookTargets.Refused, Assert.Single(d.Attempts).Error));
        Assert.Empty(subscriber.Received);
    }

    [Fact]
    public async Task Connection_failures_are_recorded_as_a_class_without_the_sockets_words()
    {
        var closedPort = $"http://127.0.0.1:{FreePort()}/hook";
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        _ = app.Server;
        await SubscribeAsync(app, closedPort);
        await app.ApproveNewVersionAsync(Article, c => c with { Summary = "Webhook summary." });
        await app.PublishAsync();

        await app.Dispatcher.DeliverDueAsync(default);

        Assert.Equal("Could not connect.", Assert.Single((await DeliveryAsync(app)).Attempts).Error);
    }

    private static Task SubscribeAsync(PortalFactory app, string url) =>
        app.WithDbAsync(async db =>
        {
            db.WebhookSubscriptions.Add(WebhookSubscription.Create(url, Secret, TestActors.Admin, app.Now));
            await db.SaveChangesAsync();
        });

    private static Task<WebhookDelivery> DeliveryAsync(PortalFactory app) =>
        app.WithDbAsync(db => db.WebhookDeliveries.AsNoTracking().SingleAsync());

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A local subscriber answering the given statuses in turn (the last one repeats), or hanging.</summary>
    private sealed class Subscriber : IDisposable
    {
        private readonly HttpListener listener = new();
        private readonly HttpStatusCode[] statuses;
        private readonly TimeSpan? hang;
        private readonly CancellationTokenSource stop = new();

        public Subscriber(params HttpStatusCode[] statuses)
            : this(null, statuses)
        {
        }

        public Subscriber(TimeSpan? hang, params HttpStatusCode[] statuses)
        {
            this.statuses = statuses.Length > 0 ? statuses : [HttpStatusCode.OK];
            this.hang = hang;
            var port = FreePort();
            Url = $"http://127.0.0.1:{port}/hook/";
            listener.Prefixes.Add(Url);
            listener.Start();
            _ = Task.Run(LoopAsync);
        }

        public string Url { get; }

        /// <summary>Answers with this Location (with a 3xx status) when set.</summary>
        public string? RedirectTo { get; init; }

        public ConcurrentQueue<(string Signature, string Body)> Received { get; } = new();

        private async Task LoopAsync()
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception) when (!listener.IsListening || stop.IsCancellationRequested)
                {
                    return;
                }

                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                Received.Enqueue((context.Request.Headers[WebhookSignature.Header] ?? "", body));
                if (hang is { } wait)
                {
                    try
                    {
                        await Task.Delay(wait, stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }

                context.Response.StatusCode = (int)statuses[Math.Min(Received.Count, statuses.Length) - 1];
                if (RedirectTo is not null)
                {
                    context.Response.RedirectLocation = RedirectTo;
                }

                context.Response.Close();
            }
        }

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
            listener.Close();
        }
    }
}
