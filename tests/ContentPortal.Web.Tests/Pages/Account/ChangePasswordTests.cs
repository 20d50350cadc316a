using System.Net;
using System.Text.RegularExpressions;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Pages.Account;

/// <summary>
/// Changing one's own password (Pages/Account/ChangePassword): required after a one-time password, every
/// other page leads here until it is done; the current password must be right and the new one long enough.
/// </summary>
public sealed partial class ChangePasswordTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string NewPassword = "a long enough passphrase";

    /// <summary>An editor created by the administrator (an editor takes effect at once; Reviewer would wait for a second administrator), logged in with the one-time password it was given.</summary>
    private async Task<(PortalClient Client, string OneTimePassword, string Email)> NewEditorAsync(string name)
    {
        var email = $"{name.ToLowerInvariant()}@example.org";
        using var admin = await factory.LoginAsync(PortalFactory.Admin);
        var create = await admin.GetPageAsync("/Admin/Users/Create");
        var created = await admin.PostFormAsync("/Admin/Users/Create", create.Form().Set("DisplayName", $"Dr {name}").Set("Email", email).Set("SelectedRoles", "Editor"));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var password = OneTimePassword().Match((await admin.GetPageAsync("/Admin/Users")).Html).Groups[1].Value;
        var client = factory.NewClient();
        Assert.Equal("/Account/ChangePassword", (await client.TryLoginAsync(email, password)).Headers.Location?.OriginalString);
        return (client, password, email);
    }

    [Fact]
    public async Task Until_the_one_time_password_is_changed_every_page_leads_here()
    {
        var (priya, password, _) = await NewEditorAsync("Priya");
        using var _ = priya;

        foreach (var page in new[] { "/", "/Content", "/Content/Create" })
        {
            var response = await priya.Http.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/Account/ChangePassword", response.Headers.Location?.OriginalString);
        }

        var change = await priya.GetPageAsync("/Account/ChangePassword");
        var changed = await priya.PostFormAsync("/Account/ChangePassword", change.Form().Set("CurrentPassword", password).Set("NewPassword", NewPassword));

        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await priya.Http.GetAsync("/Content")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await priya.Http.GetAsync("/")).StatusCode);
    }

    [Theory]
    [InlineData("Wren", "wrong current password", NewPassword, "CurrentPassword", "That is not your current password.")]
    [InlineData("Blake", "", NewPassword, "CurrentPassword", "Enter your current password.")]
    [InlineData("Shaw", null, "short", "NewPassword", "12")]
    [InlineData("Nell", null, "", "NewPassword", "Enter a new password.")]
    public async Task A_refused_change_says_why_by_its_field_and_changes_nothing(string name, string? current, string next, string field, string message)
    {
        var (client, password, email) = await NewEditorAsync(name);
        using var _ = client;
        var change = await client.GetPageAsync("/Account/ChangePassword");

        var refused = await HtmlPage.ReadAsync(await client.PostFormAsync("/Account/ChangePassword", change.Form().Set("CurrentPassword", current ?? password).Set("NewPassword", next)));

        Assert.Equal(HttpStatusCode.OK, refused.Response.StatusCode);
        Assert.Contains(message, refused.FieldError(field));
        Assert.Equal("/Account/ChangePassword", (await client.Http.GetAsync("/Content")).Headers.Location?.OriginalString);
        using var again = factory.NewClient();
        Assert.Equal("/Account/ChangePassword", (await again.TryLoginAsync(email, password)).Headers.Location?.OriginalString);
        Assert.False(await factory.WithDbAsync(db => db.AuditTrail.AnyAsync(e => e.Action == AuditActions.UserPasswordChanged && e.ActorName == $"Dr {name}")));
    }

    [Fact]
    public async Task The_new_password_logs_in_the_old_one_no_longer_does_and_the_change_is_audited()
    {
        var (sam, password, email) = await NewEditorAsync("Sam");
        using var _ = sam;
        var change = await sam.GetPageAsync("/Account/ChangePassword");
        Assert.Equal(HttpStatusCode.Redirect, (await sam.PostFormAsync("/Account/ChangePassword", change.Form().Set("CurrentPassword", password).Set("NewPassword", NewPassword))).StatusCode);

        using var withOld = factory.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await withOld.TryLoginAsync(email, password)).StatusCode); // the login form again
        using var withNew = factory.NewClient();
        await withNew.LoginAsync(email, NewPassword);
        Assert.True(await factory.WithDbAsync(db => db.AuditTrail.AnyAsync(e => e.Action == AuditActions.UserPasswordChanged && e.Details == "Changed their own password")));
    }

    [Fact]
    public async Task Without_a_login_the_page_leads_to_the_login()
    {
        using var anonymous = factory.NewClient();

        var response = await anonymous.Http.GetAsync("/Account/ChangePassword");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location?.OriginalString);
    }

    [GeneratedRegex("<code class=\"secret\">([^<]+)</code>")]
    private static partial Regex OneTimePassword();
}
