using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using ContentPortal.Web.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace ContentPortal.Web.Tests.Webhooks;

/// <summary>
/// Deliveries carry the Standard Webhooks headers; a local subscriber verifies them with the NuGet StandardWebhooks
/// library (not our code), on the first attempt and on the retry (same webhook-id).
/// </summary>
public sealed class StandardWebhooksTests
{
    private const string Article = "lower-back-pain-when-lying-down";

    [Fact]
    public async Task A_subscriber_verifies_every_attempt_with_the_library_and_a_retry_keeps_its_webhook_id()
    {
        using var subscriber = new Subscriber(HttpStatusCode.InternalServerError, HttpStatusCode.OK);
        // The library checks the timestamp against the real clock, so the app's fake clock starts now.
        await using var app = new PortalFactory(PortalOptions.WithFakeClock(DateTimeOffset.UtcNow));
        _ = app.Server;
        var subscription = WebhookSubscription.Create(subscriber.Url, TestActors.Admin, app.Now);
        await app.WithDbAsync(async db =>
        {
            db.WebhookSubscriptions.Add(subscription);
            await db.SaveChangesAsync();
        });
        await app.ApproveNewVersionAsync(Article, c => c with { Summary = "Standard Webhooks summary." });
        await app.PublishAsync();

        await app.Dispatcher.DeliverDueAsync(default);
        app.Clock.Advance(TimeSpan.FromSeconds(10));
        await app.Dispatcher.DeliverDueAsync(default);

        var delivery = await app.WithDbAsync(db => db.WebhookDeliveries.AsNoTracking().SingleAsync());
        Assert.Equal(DeliveryStatus.Delivered, delivery.Status);
        var received = subscriber.Received.ToArray();
        Assert.Equal(2, received.Length);
        var webhook = new StandardWebhook(subscription.Secret);
        foreach (var (headers, body) in received)
        {
            webhook.Verify(body, headers); // throws WebhookVerificationException when it does not verify
            Assert.Equal(delivery.Id.ToString(), headers["webhook-id"].ToString());
            Assert.True(WebhookSignature.Verify(subscription.Secret, headers[WebhookSignature.Header].ToString(), body, app.Clock.GetUtcNow(), TimeSpan.FromMinutes(5)));
        }

        Assert.Equal(long.Parse(received[0].Headers["webhook-timestamp"].ToString()) + 10, long.Parse(received[1].Headers["webhook-timestamp"].ToString()));
        Assert.Throws<WebhookVerificationException>(() => webhook.Verify(received[0].Body + " ", received[0].Headers));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(WebhookSecret.Generate()).Verify(received[0].Body, received[0].Headers));
    }

    [Fact]
    public void A_secret_typed_before_the_portal_made_them_signs_with_its_UTF8_bytes()
    {
        const string legacy = "whsec-test-0123456789";
        var at = DateTimeOffset.UtcNow;
        using var request = new HttpRequestMessage();
        StandardWebhookSignature.AddHeaders(request.Headers, legacy, "delivery-1", at, "{\"event\":\"x\"}");
        var headers = new HeaderDictionary(request.Headers.ToDictionary(h => h.Key, h => new Microsoft.Extensions.Primitives.StringValues(h.Value.ToArray())));

        new StandardWebhook(Encoding.UTF8.GetBytes(legacy)).Verify("{\"event\":\"x\"}", headers);
    }

    [Fact]
    public void Generated_secrets_are_in_the_standard_form()
    {
        var secret = WebhookSecret.Generate();

        Assert.StartsWith("whsec_", secret);
        Assert.Equal(WebhookSecret.Bytes, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.NotEqual(secret, WebhookSecret.Generate());
    }

    /// <summary>A local subscriber that keeps every request's headers and body, answering the given statuses in turn.</summary>
    private sealed class Subscriber : IDisposable
    {
        private readonly HttpListener listener = new();
        private readonly HttpStatusCode[] statuses;

        public Subscriber(params HttpStatusCode[] statuses)
        {
            this.statuses = statuses;
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/hook/";
            listener.Prefixes.Add(Url);
            listener.Start();
            _ = Task.Run(LoopAsync);
        }

        public string Url { get; }

        public ConcurrentQueue<(HeaderDictionary Headers, string Body)> Received { get; } = new();

        private async Task LoopAsync()
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception) when (!listener.IsListening)
                {
                    return;
                }

                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                var headers = new HeaderDictionary();
                foreach (var name in context.Request.Headers.AllKeys)
                {
                    headers[name!] = context.Request.Headers[name];
                }

                Received.Enqueue((headers, body));
                context.Response.StatusCode = (int)statuses[Math.Min(Received.Count, statuses.Length) - 1];
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            listener.Stop();
            listener.Close();
        }
    }
}
