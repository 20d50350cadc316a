using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests;

/// <summary>Who may do what, antiforgery, the Content-Security-Policy, and Markdown that tries to run script.</summary>
public sealed class SecurityTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData("/Content")]
    [InlineData("/Review")]
    [InlineData("/Publish")]
    [InlineData("/Content/Create")]
    public async Task Anonymous_pages_redirect_to_the_login_with_a_return_url(string url)
    {
        using var client = factory.NewClient();
        var response = await client.Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal("/Account/Login", location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0]);
        Assert.Contains("ReturnUrl=" + Uri.EscapeDataString(url), location.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_htmx_requests_get_401_with_hx_redirect_not_a_login_page()
    {
        using var client = factory.NewClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Content");
        request.Headers.Add("HX-Request", "true");
        var response = await client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.GetValues("HX-Redirect").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_feed_and_health_are_anonymous()
    {
        using var client = factory.NewClient();
        var feed = await client.Http.GetAsync("/api/v1/feed");
        var health = await client.Http.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(Editor, "/Publish")]
    [InlineData(Editor, "/Review")]
    [InlineData(Reviewer, "/Publish")]
    [InlineData(Reviewer, "/Content/Create")]
    [InlineData(Publisher, "/Review")]
    public async Task A_signed_in_user_without_the_role_gets_403(string email, string url)
    {
        using var client = await factory.LoginAsync(email);
        var page = await client.GetPageAsync(url, HttpStatusCode.Forbidden);

        Assert.Contains("You do not have access to this", page.Text);
    }

    [Fact]
    public async Task A_reviewer_posting_the_edit_button_with_a_valid_token_gets_403_and_no_draft()
    {
        var document = await factory.DocumentAsync("lower-back-pain-when-to-see-a-doctor");
        using var reviewer = await factory.LoginAsync(Reviewer);
        var details = await reviewer.GetPageAsync($"/Content/Details/{document.Id}");
        Assert.Null(details.Document.QuerySelector("form[action*=\"handler=Open\"]"));
        Assert.NotNull(details.Token);

        var response = await reviewer.PostFormAsync(Steps.DetailsUrl(document.Id, "Open"), [], details.Token);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        var htmx = await reviewer.PostFormAsync(Steps.DetailsUrl(document.Id, "Open"), [], details.Token, htmx: true);
        Assert.Equal(HttpStatusCode.Forbidden, htmx.StatusCode);

        Assert.Single((await factory.DocumentAsync(document.Id)).Versions);
    }

    [Fact]
    public async Task A_post_without_an_antiforgery_token_is_400_not_500_and_changes_nothing()
    {
        using var editor = await factory.LoginAsync(Editor);
        var id = await editor.CreateDocumentAsync("Antiforgery article", "antiforgery-article");
        var form = (await editor.GetPageAsync($"/Content/Edit/{id}")).Form("#draft-form").Set("Input.Title", "Forged title");

        var response = await editor.PostFormAsync(Steps.EditUrl(id, "Save"), form.Fields, token: null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The request was refused", (await HtmlPage.ReadAsync(response)).Text);

        var htmx = await editor.PostFormAsync(Steps.EditUrl(id, "Save"), form.Fields, token: null, htmx: true);
        Assert.Equal(HttpStatusCode.BadRequest, htmx.StatusCode);

        var wrongToken = await editor.PostFormAsync(Steps.EditUrl(id, "Save"), form.Fields, token: "not-a-token");
        Assert.Equal(HttpStatusCode.BadRequest, wrongToken.StatusCode);

        using var anonymous = factory.NewClient();
        var login = await anonymous.PostFormAsync("/Account/Login", [new("Input.Email", Editor), new("Input.Password", Password)], token: null);
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.DoesNotContain(login.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("ContentPortal.Auth", StringComparison.Ordinal)));

        Assert.Equal("Antiforgery article", (await factory.DocumentAsync(id)).Latest.Title);
    }

    [Fact]
    public async Task A_token_from_another_user_is_refused()
    {
        using var editor = await factory.LoginAsync(Editor);
        using var editor2 = await factory.LoginAsync(Editor2);
        var id = await editor.CreateDocumentAsync("Token swap article", "token-swap-article");
        var form = (await editor.GetPageAsync($"/Content/Edit/{id}")).Form("#draft-form").Set("Input.Title", "Swapped");
        var otherToken = (await editor2.GetPageAsync("/Content")).Token;

        var response = await editor.PostFormAsync(Steps.EditUrl(id, "Save"), form.Fields, otherToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Token swap article", (await factory.DocumentAsync(id)).Latest.Title);
    }

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
    public async Task Markdown_with_script_and_javascript_links_never_renders_them_in_pages_or_feed()
    {
        const string hostile = """
            Before <script>alert(1)</script> after.

            A [x](javascript:alert(1)) link, a [y](JaVaScRiPt:alert(2)) link and a [safe](https://example.org/safe) link.

            <img src=x onerror=alert(3)> and <a href="javascript:alert(4)">raw</a>.
            """;
        using var editor = await factory.LoginAsync(Editor);
        var id = await editor.CreateDocumentAsync("Hostile markdown", "hostile-markdown");
        var form = (await editor.GetPageAsync($"/Content/Edit/{id}")).Form("#draft-form").Set("Input.Body", hostile);
        var saved = await editor.SaveAsync(id, form);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("<script>alert(1)</script>", (await factory.DocumentAsync(id)).Latest.BodyMarkdown);

        AssertHarmless("draft details", (await editor.GetPageAsync($"/Content/Details/{id}")).Document.QuerySelector(".rendered")!, expectSafeLink: true);

        await editor.SubmitAsync(id, "Hostile content for the sanitizer.");
        var version = (await factory.DocumentAsync(id)).Latest;
        using var reviewer = await factory.LoginAsync(Reviewer);
        var review = await reviewer.GetPageAsync($"/Review/Version/{version.Id}");
        AssertHarmless("review page", review.Document.QuerySelector(".rendered")!, expectSafeLink: true);
        AssertNoHostileMarkup("review page", review.Html);
        await reviewer.ApproveAsync(version.Id);
        Assert.Equal(VersionStatus.Approved, (await factory.DocumentAsync(id)).Latest.Status);

        using (var publisher = await factory.LoginAsync(Publisher))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await publisher.PublishAsync("Sanitizer test.")).StatusCode);
        }

        var details = await editor.GetPageAsync($"/Content/Details/{id}");
        AssertNoHostileMarkup("details page", details.Html);

        using var anonymous = factory.NewClient();
        using var feed = JsonDocument.Parse(await anonymous.Http.GetStringAsync("/api/v1/feed"));
        var article = feed.RootElement.GetProperty("articles").EnumerateArray().Single(a => a.GetProperty("slug").GetString() == "hostile-markdown");
        Assert.Equal(hostile.Replace("\r\n", "\n"), article.GetProperty("bodyMarkdown").GetString());
        var bodyHtml = article.GetProperty("bodyHtml").GetString()!;
        AssertNoHostileMarkup("feed bodyHtml", bodyHtml);
        AssertHarmless("feed bodyHtml", new HtmlParser().ParseDocument(bodyHtml).Body!, expectSafeLink: true);
    }

    /// <summary>On the raw markup: the hostile HTML may appear only escaped, as text.</summary>
    private static void AssertNoHostileMarkup(string where, string html)
    {
        foreach (var hostile in HostileMarkup)
        {
            var match = hostile.Match(html);
            Assert.False(match.Success, $"{where} has markup {match.Value}: …{(match.Success ? html[Math.Max(0, match.Index - 200)..Math.Min(html.Length, match.Index + 100)] : "")}…");
        }
    }

    private static readonly Regex[] HostileMarkup =
    [
        new(@"<script\b(?![^>]*\bsrc=)", RegexOptions.IgnoreCase),
        new(@"<[a-z][^<>]*\bhref\s*=\s*[""']?\s*javascript", RegexOptions.IgnoreCase),
        new(@"<[a-z][^<>]*\bon[a-z]+\s*=", RegexOptions.IgnoreCase),
        new(@"<img\b", RegexOptions.IgnoreCase),
    ];

    private static void AssertHarmless(string where, IElement rendered, bool expectSafeLink)
    {
        Assert.True(rendered.QuerySelectorAll("script").Length == 0, $"{where}: a <script> element was rendered");
        Assert.True(rendered.QuerySelectorAll("img").Length == 0, $"{where}: an <img> element was rendered");
        foreach (var element in rendered.QuerySelectorAll("*"))
        {
            Assert.DoesNotContain(element.Attributes, a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
            var href = element.GetAttribute("href");
            Assert.False(href is not null && href.Trim().StartsWith("javascript", StringComparison.OrdinalIgnoreCase), $"{where}: href {href}");
        }

        // The text is shown as text, and ordinary links still work.
        Assert.Contains("<script>alert(1)</script>", rendered.TextContent, StringComparison.Ordinal);
        if (expectSafeLink)
        {
            Assert.NotNull(rendered.QuerySelector("a[href=\"https://example.org/safe\"]"));
        }
    }
}
