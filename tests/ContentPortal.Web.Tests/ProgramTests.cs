using System.Net;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests;

/// <summary>
/// What Program wires up for every page: who may see what (login, roles, htmx 401s), antiforgery, and
/// the start-up outside Development.
/// </summary>
public sealed class ProgramTests(PortalFactory factory) : IClassFixture<PortalFactory>
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

    [Theory]
    [InlineData("editor@contentportal.test", "/Publish", HttpStatusCode.Forbidden)]
    [InlineData("reviewer@contentportal.test", "/Publish/Republish/1", HttpStatusCode.Forbidden)]
    [InlineData("publisher@contentportal.test", "/Admin/Webhooks", HttpStatusCode.Forbidden)]
    [InlineData("publisher@contentportal.test", "/Publish", HttpStatusCode.OK)]
    [InlineData("admin@contentportal.test", "/Admin/Webhooks", HttpStatusCode.OK)]
    public async Task Pages_check_roles_on_the_server(string email, string url, HttpStatusCode status)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync(url)).StatusCode); // anonymous → login

        using var signedIn = await factory.LoginAsync(email);

        Assert.Equal(status, (await signedIn.Http.GetAsync(url)).StatusCode);
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
    public async Task Outside_development_the_app_starts_migrated_with_roles_but_no_demo_users_or_content()
    {
        await using var empty = new PortalFactory(new PortalOptions { Environment = "Testing" });
        using var client = empty.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/health")).StatusCode);
        Assert.True(empty.Database.Exists());

        Assert.Equal(0, await empty.WithDbAsync(db => Task.FromResult(db.Users.Count())));
        Assert.Equal(0, await empty.WithDbAsync(db => Task.FromResult(db.Documents.Count())));
        Assert.Equal(4, await empty.WithDbAsync(db => Task.FromResult(db.Roles.Count())));
        Assert.Empty(await empty.SnapshotIdsAsync());

        var login = await client.TryLoginAsync(Editor, Password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("The email or password is not right.", (await HtmlPage.ReadAsync(login)).Summary);
    }
}
