using System.Text.Json;
using AngleSharp.Html.Parser;
using ContentPortal.Web.Infrastructure;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests.Infrastructure;

/// <summary>SecurityHeaders: the Content-Security-Policy on every HTML response, and no inline script; the JSON API's stricter set.</summary>
public sealed class SecurityHeadersTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Every_html_response_carries_the_content_security_policy()
    {
        var document = await factory.DocumentAsync("disc-degeneration");
        using var anonymous = factory.NewClient();
        using var admin = await factory.LoginAsync(Admin);
        using var editor = await factory.LoginAsync(Editor);
        var id = await editor.CreateDocumentAsync("CSP article", "csp-article");

        var responses = new List<(string What, HttpResponseMessage Response)>
        {
            ("login", await anonymous.Http.GetAsync("/Account/Login")),
            ("status 404", await anonymous.Http.GetAsync("/Status?code=404")),
            ("content", await admin.Http.GetAsync("/Content")),
            ("details", await admin.Http.GetAsync($"/Content/Details/{document.Id}")),
            ("missing details", await admin.Http.GetAsync($"/Content/Details/{Guid.NewGuid()}")),
            ("create", await admin.Http.GetAsync("/Content/Create")),
            ("edit", await editor.Http.GetAsync($"/Content/Edit/{id}")),
            ("review", await admin.Http.GetAsync("/Review")),
            ("review version", await admin.Http.GetAsync($"/Review/Version/{document.Versions[0].Id}")),
            ("publish", await admin.Http.GetAsync("/Publish")),
            ("403", await editor.Http.GetAsync("/Publish")),
            ("400", await editor.PostFormAsync(Steps.EditUrl(id, "Save"), [], token: null)),
            ("htmx save", await editor.SaveAsync(id, (await editor.GetPageAsync($"/Content/Edit/{id}")).Form("#draft-form"), htmx: true)),
        };

        foreach (var (what, response) in responses)
        {
            Assert.True(response.Content.Headers.ContentType?.MediaType == "text/html", $"{what}: {response.Content.Headers.ContentType}");
            Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var csp), $"{what} ({(int)response.StatusCode}) has no CSP header");
            Assert.Contains("script-src 'self'", csp.Single(), StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());

            // And no inline script anywhere: every <script> loads a file of ours.
            var html = await response.Content.ReadAsStringAsync();
            var scripts = new HtmlParser().ParseDocument(html).QuerySelectorAll("script");
            Assert.All(scripts, s => Assert.StartsWith("/", s.GetAttribute("src") ?? "", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Every_api_answer_carries_the_api_policy_on_the_fast_path_and_the_endpoints_alike()
    {
        using var anonymous = factory.NewClient();
        var feed = await anonymous.Http.GetAsync("/api/v1/feed");
        feed.EnsureSuccessStatusCode();
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/api/v1/feed");
        conditional.Headers.TryAddWithoutValidation("If-None-Match", feed.Headers.ETag!.Tag);

        var responses = new List<(string What, HttpResponseMessage Response, int Status)>
        {
            ("feed (fast path)", feed, 200),
            ("feed 304", await anonymous.Http.SendAsync(conditional), 304),
            ("feed as FHIR (endpoint)", await anonymous.Http.GetAsync("/api/v1/feed?format=fhir"), 200),
            ("snapshots", await anonymous.Http.GetAsync("/api/v1/snapshots"), 200),
            ("bad lookup", await anonymous.Http.GetAsync("/api/v1/lookup?system=nope"), 400),
            ("unknown endpoint", await anonymous.Http.GetAsync("/api/v1/nope"), 404),
            ("POST", await anonymous.Http.PostAsync("/api/v1/feed", null), 405),
        };

        foreach (var (what, response, status) in responses)
        {
            Assert.True((int)response.StatusCode == status, $"{what}: {(int)response.StatusCode}");
            Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var csp), $"{what} has no CSP header");
            Assert.Equal(SecurityHeaders.ApiContentSecurityPolicy, csp.Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        }

        // The body still arrives whole now that the fast path starts the response before writing it.
        var body = await feed.Content.ReadAsByteArrayAsync();
        Assert.Equal(feed.Content.Headers.ContentLength, body.Length);
        Assert.Equal(1, JsonDocument.Parse(body).RootElement.GetProperty("schemaVersion").GetInt32());
    }
}
