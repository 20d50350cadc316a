using System.Net;
using ContentPortal.Web.Tests.Infrastructure;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests.Pages.Account;

/// <summary>Logging out (Pages/Account/Logout, a POST) ends the session.</summary>
public sealed class LogoutTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Logging_in_shows_the_display_name_and_logging_out_ends_the_session()
    {
        using var client = await factory.LoginAsync(Publisher);
        var content = await client.GetPageAsync("/Content");
        Assert.Contains("Pat Publisher", content.Document.QuerySelector(".who")!.TextContent);
        Assert.NotNull(content.Document.QuerySelector("nav a[href=\"/Publish\"]"));
        Assert.Null(content.Document.QuerySelector("nav a[href=\"/Review\"]"));

        var logout = await client.PostFormAsync("/Account/Logout", content.Form("form[action=\"/Account/Logout\"]"));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal("/Account/Login", logout.Headers.Location?.OriginalString);

        var after = await client.Http.GetAsync("/Content");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/Account/Login", after.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}
