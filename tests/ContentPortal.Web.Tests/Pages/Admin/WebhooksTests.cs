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
        // Shown once, in its own read-only field with a Copy button (issue 26), not inside a sentence.
        var shown = await client.GetPageAsync("/Admin/Webhooks");
        var field = shown.Document.QuerySelector("input#new-secret");
        Assert.Equal(subscription.Secret, field?.GetAttribute("value"));
        Assert.True(field!.HasAttribute("readonly"));
        Assert.NotNull(shown.Document.QuerySelector("button[data-copy-from='new-secret']"));
        Assert.DoesNotContain(subscription.Secret, shown.Document.QuerySelector(".message[role=status]")?.TextContent ?? "");
        Assert.DoesNotContain(subscription.Secret, WebUtility.HtmlDecode(await client.Http.GetStringAsync("/Admin/Webhooks"))); // shown once
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://172.20.0.1/hook")]
    [InlineData("http://192.168.0.10/hook")]
    [InlineData("http://100.64.0.1/hook")]
    [InlineData("http://0.0.0.0/hook")]
    [InlineData("http://2130706433/hook")]
    [InlineData("http://0x7f000001/hook")]
    [InlineData("http://0177.0.0.1/hook")]
    [InlineData("http://127.1/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[::ffff:127.0.0.1]/hook")]
    [InlineData("http://[fd00::1]/hook")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("http://intranet/hook")]
    [InlineData("http://printer.local/hook")]
    [InlineData("http://user:pass@hooks.example.org/hook")]
    public async Task Internal_targets_are_refused_when_subscribing(string url)
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock() with { WebhookAllowedHosts = "" });
        using var client = await app.LoginAsync("admin@contentportal.test");
        var token = (await client.GetPageAsync("/Content")).Token;

        var response = await client.PostFormAsync("/Admin/Webhooks", [new("SubscriberUrl", url), new("Secret", "")], token);
        var page = await HtmlPage.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual("", page.FieldError("SubscriberUrl"));
        Assert.Equal(url, page.FieldValue("SubscriberUrl"));
        Assert.False(await app.WithDbAsync(db => db.WebhookSubscriptions.AnyAsync()));
    }

    [Theory]
    [InlineData("127.0.0.1,hooks.internal", "http://127.0.0.1:9000/hook")]
    [InlineData("127.0.0.1,hooks.internal", "http://hooks.internal/hook")]
    public async Task The_allow_list_lets_an_operator_subscribe_an_internal_consumer(string allowed, string url)
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock() with { WebhookAllowedHosts = allowed });
        using var client = await app.LoginAsync("admin@contentportal.test");
        var token = (await client.GetPageAsync("/Content")).Token;

        var response = await client.PostFormAsync("/Admin/Webhooks", [new("SubscriberUrl", url), new("Secret", "")], token);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(await app.WithDbAsync(db => db.WebhookSubscriptions.AnyAsync()));
    }
}
