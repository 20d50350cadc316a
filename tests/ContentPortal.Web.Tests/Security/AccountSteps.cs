using System.Net;
using System.Text.RegularExpressions;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Security;

/// <summary>What administrators and new account holders do, the way they do it: through the Users pages.</summary>
public static partial class AccountSteps
{
    /// <summary>The password a new account holder chooses at first login.</summary>
    public const string ChosenPassword = "a passphrase of my own choosing";

    /// <summary>Creates an account on Users › New user; returns the one-time password shown to the admin.</summary>
    public static async Task<string> CreateUserAsync(this PortalClient admin, string name, string email, params string[] roles)
    {
        var create = await admin.GetPageAsync("/Admin/Users/Create");
        var response = await admin.PostFormAsync("/Admin/Users/Create",
            [new("DisplayName", name), new("Email", email), .. roles.Select(r => new KeyValuePair<string, string>("SelectedRoles", r))], create.Token);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return OneTimePasswordOn(await admin.GetPageAsync("/Admin/Users")) ?? throw new InvalidOperationException("No one-time password was shown.");
    }

    /// <summary>The one-time password the Users page shows (once), or null.</summary>
    public static string? OneTimePasswordOn(HtmlPage page) =>
        OneTimePassword().Match(page.Html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;

    /// <summary>Logs in with a one-time password and chooses <see cref="ChosenPassword"/>, as the first login requires.</summary>
    public static async Task<PortalClient> FirstLoginAsync(this PortalFactory app, string email, string oneTimePassword)
    {
        var client = app.NewClient();
        var login = await client.TryLoginAsync(email, oneTimePassword);
        Assert.Equal("/Account/ChangePassword", login.Headers.Location?.OriginalString);
        var change = await client.GetPageAsync("/Account/ChangePassword");
        var changed = await client.PostFormAsync("/Account/ChangePassword", [new("CurrentPassword", oneTimePassword), new("NewPassword", ChosenPassword)], change.Token);
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        return client;
    }

    /// <summary>Posts one of the Edit page's buttons (Roles, ResetPassword, …) for the account with this email.</summary>
    public static async Task<HttpResponseMessage> EditUserAsync(this PortalClient admin, PortalFactory app, string email, string handler, params string[] roles)
    {
        var id = await app.UserIdAsync(email);
        var edit = await admin.GetPageAsync($"/Admin/Users/Edit/{id}");
        return await admin.PostFormAsync($"/Admin/Users/Edit/{id}?handler={handler}",
            roles.Select(r => new KeyValuePair<string, string>("SelectedRoles", r)), edit.Token);
    }

    /// <summary>Approve or Cancel on the Users page's waiting list, for the one change waiting on this account.</summary>
    public static async Task<HttpResponseMessage> DecideChangeAsync(this PortalClient admin, PortalFactory app, string email, string handler)
    {
        var accountId = await app.UserIdAsync(email);
        var changeId = await app.WithDbAsync(db => db.PendingAccountChanges.Where(c => c.AccountId == accountId).Select(c => c.Id).SingleAsync());
        var list = await admin.GetPageAsync("/Admin/Users");
        return await admin.PostFormAsync($"/Admin/Users?handler={handler}&changeId={changeId}", [], list.Token);
    }

    public static Task<string> UserIdAsync(this PortalFactory app, string email) =>
        app.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    public static Task<List<string>> RolesOfAsync(this PortalFactory app, string email) =>
        app.WithDbAsync(db => (from user in db.Users
                               join link in db.UserRoles on user.Id equals link.UserId
                               join role in db.Roles on link.RoleId equals role.Id
                               where user.Email == email
                               orderby role.Name
                               select role.Name!).ToListAsync());

    [GeneratedRegex("<code class=\"secret\">([^<]+)</code>")]
    private static partial Regex OneTimePassword();
}
