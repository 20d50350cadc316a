using System.Net;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Pages.Admin;

/// <summary>Webhook subscriptions (Pages/Admin/Webhooks): bad input comes back with messages, the secret is shown once.</summary>
public sealed class WebhooksTests
{
    [Fact]
    public async Task Admin_adds_a_webhook_bad_input_comes_back_with_messages()
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        using var client = await app.LoginAsync("admin@contentportal.test");
        var token = (await client.GetPageAsync("/Content")).Token;

        var bad = await client.PostFormAsync("/Admin/Webhooks", [new("SubscriberUrl", "ftp://x.example/hook"), new("Secret", "short")], token);
        var html = await bad.Content.ReadAsStringAsync();
        Assert.Contains("Enter the full address the portal should POST to", html);
        Assert.Contains("Use a secret of at least 16 characters", html);
        Assert.Contains("value=\"ftp://x.example/hook\"", html);
        Assert.False(await app.WithDbAsync(db => db.WebhookSubscriptions.AnyAsync()));

        var good = await client.PostFormAsync("/Admin/Webhooks", [new("SubscriberUrl", "https://hooks.example.org/cp"), new("Secret", "")], token);
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        var subscription = await app.WithDbAsync(db => db.WebhookSubscriptions.AsNoTracking().SingleAsync());
        Assert.StartsWith("whsec_", subscription.Secret);
        Assert.Contains(subscription.Secret, await client.Http.GetStringAsync("/Admin/Webhooks"));
        Assert.DoesNotContain(subscription.Secret, await client.Http.GetStringAsync("/Admin/Webhooks")); // shown once
    }
}
