using System.Net;
using System.Text.RegularExpressions;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Pages.Admin.Users;

/// <summary>Creating users (Pages/Admin/Users/Create): a one-time password, Admin only.</summary>
public sealed partial class CreateTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task A_new_user_gets_a_one_time_password_and_must_change_it_at_first_login()
    {
        using var admin = await factory.LoginAsync(PortalFactory.Admin);
        var create = await admin.GetPageAsync("/Admin/Users/Create");
        var form = create.Form().Set("DisplayName", "Dr Priya Shah").Set("Email", "priya@example.org").Set("SelectedRoles", "Editor"); // Reviewer would wait for a second admin (InsiderScenariosTests)
        var created = await admin.PostFormAsync("/Admin/Users/Create", form);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var list = await admin.GetPageAsync("/Admin/Users");
        var password = OneTimePassword().Match(list.Html).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(password));
        Assert.DoesNotContain(password, (await admin.GetPageAsync("/Admin/Users")).Html); // shown once

        using var priya = factory.NewClient();
        var login = await priya.TryLoginAsync("priya@example.org", password);
        Assert.Equal("/Account/ChangePassword", login.Headers.Location?.OriginalString);
        var content = await priya.Http.GetAsync("/Content");
        Assert.Equal("/Account/ChangePassword", content.Headers.Location?.OriginalString);

        var change = await priya.GetPageAsync("/Account/ChangePassword");
        var tooShort = await priya.PostFormAsync("/Account/ChangePassword", change.Form().Set("CurrentPassword", password).Set("NewPassword", "short"));
        Assert.Contains("12", (await HtmlPage.ReadAsync(tooShort)).FieldError("NewPassword"));
        var changed = await priya.PostFormAsync("/Account/ChangePassword", change.Form().Set("CurrentPassword", password).Set("NewPassword", "a long enough passphrase"));
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await priya.Http.GetAsync("/Content")).StatusCode);
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
