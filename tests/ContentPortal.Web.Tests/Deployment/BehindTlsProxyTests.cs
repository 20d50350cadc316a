using System.Net;
using ContentPortal.Web.Tests.Infrastructure;

namespace ContentPortal.Web.Tests.Deployment;

/// <summary>
/// Behind a TLS-terminating proxy the portal sees http from the proxy; X-Forwarded-Proto tells it the
/// browser used https, so cookies are Secure and HSTS is sent (outside Development).
/// </summary>
public sealed class BehindTlsProxyTests : IClassFixture<PortalFactory>
{
    private readonly PortalFactory factory;

    public BehindTlsProxyTests(PortalFactory factory) => this.factory = factory;

    [Fact]
    public async Task Cookies_are_secure_when_the_proxy_says_the_request_was_https()
    {
        // No cookie jar: a jar would (rightly) not send Secure cookies back over the test's plain http.
        using var http = factory.Server.CreateClient();
        http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        var loginPage = await HtmlPage.ReadAsync(await http.GetAsync("/Account/Login"));
        var antiforgery = loginPage.Response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        using var post = new HttpRequestMessage(HttpMethod.Post, "/Account/Login")
        {
            Content = new FormUrlEncodedContent([
                new("Input.Email", PortalFactory.Editor), new("Input.Password", PortalFactory.Password), new(HtmlPage.TokenField, loginPage.Token)]),
        };
        post.Headers.Add("Cookie", antiforgery.Split(';')[0]);
        var response = await http.SendAsync(post);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var auth = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ContentPortal.Auth=", StringComparison.Ordinal));
        Assert.Contains("secure", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", antiforgery, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Cookies_are_not_marked_secure_on_plain_http()
    {
        using var client = factory.NewClient();
        var login = await client.GetPageAsync("/Account/Login");

        var antiforgery = login.Response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        Assert.DoesNotContain("secure", antiforgery, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Outside_development_https_responses_carry_hsts()
    {
        await using var production = new PortalFactory(new PortalOptions { Environment = "Production" });
        using var client = production.NewClient();
        client.Http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.Http.DefaultRequestHeaders.Host = "portal.example.org"; // HSTS is never sent for localhost

        var response = await client.Http.GetAsync("/Account/Login");

        Assert.True(response.Headers.Contains("Strict-Transport-Security"), "Expected HSTS on an https request outside Development.");
    }
}
