using System.Net;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Pages.Admin;

/// <summary>Webhook subscriptions (Pages/Admin/Webhooks): bad input comes back with messages, the portal makes the secret and shows it once.</summary>
public sealed class WebhooksTests
{
    [Fact]
    public async Task Admin_adds_a_webhook_bad_input_comes_back_with_messages()
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        using var client = await app.LoginAsync("admin@contentportal.test");
        var token = (await client.GetPageAsync("/Content")).Token;

        var bad = await client.PostFormAsync("/Admin/Webhooks", [new("SubscriberUrl", "ftp://x.example/hook")], token);
        var html = await bad.Content.ReadAsStringAsync();
        Assert.Contains("Enter the full address the portal should POST to", html);
        Assert.Contains("value=\"ftp://x.example/hook\"", html);
        Assert.DoesNotContain("name=\"Secret\"", html); // issue 13: the portal makes every secret; there is no field to type one
        Assert.False(await app.WithDbAsync(db => db.WebhookSubscriptions.AnyAsync()));

        // A secret posted anyway is ignored.
        var good = await client.PostFormAsync("/Admin/Webhooks", [new("SubscriberUrl", "https://hooks.example.org/cp"), new("Secret", "typed-by-an-admin-0123")], token);
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        var subscription = await app.WithDbAsync(db => db.WebhookSubscriptions.AsNoTracking().SingleAsync());
        Assert.StartsWith("whsec_", subscription.Secret);
        Assert.Equal(ContentPortal.Domain.WebhookSecret.Bytes, Convert.FromBase64String(subscription.Secret["whsec_".Length..]).Length);
        // Decoded as a browser shows it: base64's + and / are HTML-encoded in the page.
        Assert.Contains(subscription.Secret, WebUtility.HtmlDecode(await client.Http.GetStringAsync("/Admin/Webhooks")));
        Assert.DoesNotContain(subscription.Secret, WebUtility.HtmlDecode(await client.Http.GetStringAsync("/Admin/Webhooks"))); // shown once
    }
}
