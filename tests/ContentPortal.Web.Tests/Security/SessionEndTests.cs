using System.Net;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests.Security;

/// <summary>Issue 24, scenario 4: a session ends on the server, so a copied cookie stops working at once.</summary>
public sealed class SessionEndTests(PortalFactory app) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Scenario_4_after_log_out_a_copy_of_the_session_cookie_no_longer_works()
    {
        using var editor = app.NewClient();
        var login = await editor.TryLoginAsync(Editor, Password);
        var cookie = AuthCookie(login);
        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(cookie, "/Content"));

        var page = await editor.GetPageAsync("/Content");
        var logout = await editor.PostFormAsync("/Account/Logout", [], page.Token);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, await WithCookieAsync(cookie, "/Content"));
        Assert.Equal(HttpStatusCode.Unauthorized, await WithCookieAsync(cookie, "/Content", htmx: true));
    }

    [Fact]
    public async Task A_password_change_ends_the_other_sessions_and_keeps_this_one()
    {
        using var here = app.NewClient();
        await here.LoginAsync(Editor2);
        using var elsewhere = await app.LoginAsync(Editor2);
        var copied = AuthCookie(await app.NewClient().TryLoginAsync(Editor2, Password));

        var change = await here.GetPageAsync("/Account/ChangePassword");
        var changed = await here.PostFormAsync("/Account/ChangePassword", [new("CurrentPassword", Password), new("NewPassword", AccountSteps.ChosenPassword)], change.Token);

        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await here.Http.GetAsync("/Content")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await elsewhere.Http.GetAsync("/Content")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, await WithCookieAsync(copied, "/Content"));
    }

    private static string AuthCookie(HttpResponseMessage login)
    {
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ContentPortal.Auth=", StringComparison.Ordinal)).Split(';')[0];
    }

    /// <summary>A request carrying only the copied cookie, from a client with no cookie jar of its own.</summary>
    private async Task<HttpStatusCode> WithCookieAsync(string cookie, string url, bool htmx = false)
    {
        using var http = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", cookie);
        if (htmx)
        {
            request.Headers.Add("HX-Request", "true");
        }

        return (await http.SendAsync(request)).StatusCode;
    }
}
