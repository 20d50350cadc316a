using System.Net;
using ContentPortal.Web.Data;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests.Pages.Account;

/// <summary>Every form that sets a password applies the rules login applies: nobody sets one they cannot log in with.</summary>
public sealed class PasswordRulesTests(PortalFactory app) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Change_password_refuses_a_password_longer_than_login_accepts_and_keeps_the_old_one()
    {
        using var client = await app.LoginAsync(Editor2);
        var change = await client.GetPageAsync("/Account/ChangePassword");

        var response = await client.PostFormAsync("/Account/ChangePassword", [new("CurrentPassword", Password), new("NewPassword", new string('x', 5000))], change.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("A password is at most 1024 characters.", (await HtmlPage.ReadAsync(response)).FieldError("NewPassword"));
        (await app.LoginAsync(Editor2)).Dispose(); // the old password still works
    }

    [Fact]
    public async Task The_longest_password_login_accepts_can_be_set_and_used()
    {
        using var client = await app.LoginAsync(Reviewer2);
        var change = await client.GetPageAsync("/Account/ChangePassword");
        var longest = new string('y', 1024);

        var response = await client.PostFormAsync("/Account/ChangePassword", [new("CurrentPassword", Password), new("NewPassword", longest)], change.Token);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        using var again = app.NewClient();
        await again.LoginAsync(Reviewer2, longest);
    }

    [Fact]
    public async Task The_rule_is_Identitys_so_every_way_of_setting_a_password_applies_it()
    {
        // create-admin, the demo accounts and admin resets all set passwords through UserManager.
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var result = await users.CreateAsync(new PortalUser { UserName = "long@example.org", Email = "long@example.org", DisplayName = "Long" }, new string('z', 1025));

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Code == "PasswordTooLong");
    }
}
