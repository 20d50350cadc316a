using AngleSharp.Html.Parser;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests.Infrastructure;

/// <summary>SecurityHeaders: the Content-Security-Policy on every HTML response, and no inline script.</summary>
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
}
