using System.Net;
using System.Net.Sockets;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using ContentPortal.Web.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Security;

/// <summary>Issue 24's webhook points: pausing stops queued retries, and IPv6 spellings of refused IPv4 addresses are refused.</summary>
public sealed class WebhookPauseAndAddressTests
{
    [Fact]
    public async Task A_paused_subscription_stops_its_queued_retries_and_resuming_continues_them()
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        _ = app.Server;
        var subscriptionId = await app.WithDbAsync(async db =>
        {
            var subscription = WebhookSubscription.Create($"http://127.0.0.1:{ClosedPort()}/hook", "whsec-test-0123456789", TestActors.Admin, app.Now);
            db.WebhookSubscriptions.Add(subscription);
            await db.SaveChangesAsync();
            return subscription.Id;
        });
        await app.ApproveNewVersionAsync("lower-back-pain-when-lying-down", c => c with { Summary = "Paused webhook summary." });
        await app.PublishAsync();
        Assert.Equal(1, await app.Dispatcher.DeliverDueAsync(default)); // refused connection: a retry is queued

        await SetActiveAsync(app, subscriptionId, false);
        app.Clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(0, await app.Dispatcher.DeliverDueAsync(default));
        var delivery = await app.WithDbAsync(db => db.WebhookDeliveries.AsNoTracking().SingleAsync());
        Assert.Equal(DeliveryStatus.Pending, delivery.Status);
        Assert.Single(delivery.Attempts);

        await SetActiveAsync(app, subscriptionId, true);
        Assert.Equal(1, await app.Dispatcher.DeliverDueAsync(default));
        Assert.Equal(2, (await app.WithDbAsync(db => db.WebhookDeliveries.AsNoTracking().SingleAsync())).Attempts.Count);
    }

    [Theory]
    [InlineData("::127.0.0.1")] // IPv4-compatible
    [InlineData("::10.0.0.1")]
    [InlineData("::169.254.169.254")]
    [InlineData("::ffff:127.0.0.1")] // IPv4-mapped
    [InlineData("::ffff:192.168.1.1")]
    [InlineData("::ffff:0:127.0.0.1")] // IPv4-translated
    [InlineData("::")]
    [InlineData("::1")]
    public void IPv6_forms_of_refused_IPv4_addresses_are_refused(string address)
    {
        Assert.False(WebhookTargets.IsPublic(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("::8.8.8.8")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("2606:4700::1111")]
    public void Public_addresses_stay_public_in_any_spelling(string address)
    {
        Assert.True(WebhookTargets.IsPublic(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("http://[::127.0.0.1]/hook")]
    [InlineData("http://[::ffff:127.0.0.1]/hook")]
    public async Task Subscribing_to_an_IPv6_spelling_of_loopback_is_refused(string url)
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock() with { WebhookAllowedHosts = "" });
        using var client = await app.LoginAsync(PortalFactory.Admin);
        var token = (await client.GetPageAsync("/Content")).Token;

        var response = await client.PostFormAsync("/Admin/Webhooks", [new("SubscriberUrl", url), new("Secret", "")], token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual("", (await HtmlPage.ReadAsync(response)).FieldError("SubscriberUrl"));
        Assert.False(await app.WithDbAsync(db => db.WebhookSubscriptions.AnyAsync()));
    }

    private static Task SetActiveAsync(PortalFactory app, Guid id, bool active) => app.WithDbAsync(async db =>
    {
        (await db.WebhookSubscriptions.SingleAsync(s => s.Id == id)).SetActive(active, TestActors.Admin, app.Now);
        await db.SaveChangesAsync();
    });

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
