using System.Net;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Pages.Admin.Users;

/// <summary>Editing a user (Pages/Admin/Users/Edit): disabling ends sessions at once.</summary>
public sealed class EditTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Disabling_a_user_ends_their_session_at_once_and_refuses_their_login()
    {
        using var editor = await factory.LoginAsync(PortalFactory.Editor2);
        Assert.Equal(HttpStatusCode.OK, (await editor.Http.GetAsync("/Content")).StatusCode);
        var id = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == PortalFactory.Editor2).Select(u => u.Id).SingleAsync());

        using var admin = await factory.LoginAsync(PortalFactory.Admin);
        var page = await admin.GetPageAsync($"/Admin/Users/Edit/{id}");
        var disabled = await admin.PostFormAsync($"/Admin/Users/Edit/{id}?handler=Disable", page.Form("form[action*='handler=Disable']"));
        Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);

        // The old cookie no longer works: the next request goes to the login page.
        var after = await editor.Http.GetAsync("/Content");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/Account/Login", after.Headers.Location?.PathAndQuery ?? after.Headers.Location?.OriginalString);

        using var again = factory.NewClient();
        var login = await again.TryLoginAsync(PortalFactory.Editor2, PortalFactory.Password);
        Assert.Contains("This account is disabled", (await HtmlPage.ReadAsync(login)).Summary);
        // Only with the right password: anyone else gets the same answer as for any wrong login.
        var guessed = await again.TryLoginAsync(PortalFactory.Editor2, "not-the-password-at-all");
        Assert.Contains("The email or password is not right.", (await HtmlPage.ReadAsync(guessed)).Summary);
        Assert.True(await factory.WithDbAsync(db => db.AuditTrail.AnyAsync(e => e.Action == "user.disabled" && e.Subject == $"user:{id}")));

        var self = await admin.GetPageAsync($"/Admin/Users/Edit/{await factory.WithDbAsync(db => db.Users.Where(u => u.Email == PortalFactory.Admin).Select(u => u.Id).SingleAsync())}");
        var refused = await admin.PostFormAsync(self.Response.RequestMessage!.RequestUri!.AbsolutePath + "?handler=Disable", self.Form("form[action*='handler=Disable']"));
        Assert.Contains("You cannot disable your own account.", (await HtmlPage.ReadAsync(refused)).Summary);
    }
}
