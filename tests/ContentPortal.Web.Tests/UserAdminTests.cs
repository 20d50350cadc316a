using System.Net;
using System.Text.RegularExpressions;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests;

/// <summary>User administration: one-time passwords, roles, disabling ends sessions at once.</summary>
public sealed partial class UserAdminTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task A_new_user_gets_a_one_time_password_and_must_change_it_at_first_login()
    {
        using var admin = await factory.LoginAsync(PortalFactory.Admin);
        var create = await admin.GetPageAsync("/Admin/Users/Create");
        var form = create.Form().Set("DisplayName", "Dr Priya Shah").Set("Email", "priya@example.org").Set("SelectedRoles", "Reviewer");
        var created = await admin.PostFormAsync("/Admin/Users/Create", form);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var list = await admin.GetPageAsync("/Admin/Users");
        var password = OneTimePassword().Match(list.Html).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(password));
        Assert.DoesNotContain(password, (await admin.GetPageAsync("/Admin/Users")).Html); // shown once

        using var priya = factory.NewClient();
        var login = await priya.TryLoginAsync("priya@example.org", password);
        Assert.Equal("/Account/ChangePassword", login.Headers.Location?.OriginalString);
        var review = await priya.Http.GetAsync("/Review");
        Assert.Equal("/Account/ChangePassword", review.Headers.Location?.OriginalString);

        var change = await priya.GetPageAsync("/Account/ChangePassword");
        var tooShort = await priya.PostFormAsync("/Account/ChangePassword", change.Form().Set("CurrentPassword", password).Set("NewPassword", "short"));
        Assert.Contains("12", (await HtmlPage.ReadAsync(tooShort)).FieldError("NewPassword"));
        var changed = await priya.PostFormAsync("/Account/ChangePassword", change.Form().Set("CurrentPassword", password).Set("NewPassword", "a long enough passphrase"));
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await priya.Http.GetAsync("/Review")).StatusCode);
    }

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
        Assert.True(await factory.WithDbAsync(db => db.AuditTrail.AnyAsync(e => e.Action == "user.disabled" && e.Subject == $"user:{id}")));

        var self = await admin.GetPageAsync($"/Admin/Users/Edit/{await factory.WithDbAsync(db => db.Users.Where(u => u.Email == PortalFactory.Admin).Select(u => u.Id).SingleAsync())}");
        var refused = await admin.PostFormAsync(self.Response.RequestMessage!.RequestUri!.AbsolutePath + "?handler=Disable", self.Form("form[action*='handler=Disable']"));
        Assert.Contains("You cannot disable your own account.", (await HtmlPage.ReadAsync(refused)).Summary);
    }

    [Fact]
    public async Task Only_admins_manage_users()
    {
        using var reviewer = await factory.LoginAsync(PortalFactory.Reviewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.Http.GetAsync("/Admin/Users")).StatusCode);
        var page = await reviewer.GetPageAsync("/Content");
        var forged = await reviewer.PostFormAsync("/Admin/Users/Create", [new("DisplayName", "Mallory"), new("Email", "m@example.org"), new("SelectedRoles", "Admin")], page.Token);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "m@example.org")));
    }

    [GeneratedRegex("<code class=\"secret\">([^<]+)</code>")]
    private static partial Regex OneTimePassword();
}
