using System.Net;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests.Pages.Admin.Users;

/// <summary>
/// The user list (Pages/Admin/Users/Index): every account with its roles, its status and who set it up.
/// Administrators only; nobody else learns who has an account.
/// </summary>
public sealed class IndexTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    /// <summary>The list's rows by email: name, email, roles, status, created by, roles last changed by.</summary>
    private static async Task<Dictionary<string, string[]>> RowsAsync(PortalClient admin)
    {
        var page = await admin.GetPageAsync("/Admin/Users");
        return page.Document.QuerySelectorAll("#accounts tbody tr")
            .Select(row => row.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray())
            .ToDictionary(cells => cells[1]);
    }

    [Fact]
    public async Task An_administrator_sees_every_account_with_its_roles_and_who_set_it_up()
    {
        using var admin = await factory.LoginAsync(PortalFactory.Admin);

        var rows = await RowsAsync(admin);

        Assert.Superset(new HashSet<string> { Editor, Editor2, Reviewer, Reviewer2, Publisher, PortalFactory.Admin }, rows.Keys.ToHashSet());
        Assert.Equal(["Dr Rhea Reviewer", Reviewer, "Reviewer", "Active", "Set-up (command or demo)", "—"], rows[Reviewer]);
        Assert.Equal("Pat Publisher", rows[Publisher][0]);
        Assert.Equal("Publisher", rows[Publisher][2]);
        Assert.Equal(["Admin", "Editor", "Publisher", "Reviewer"], rows[PortalFactory.Admin][2].Split(", ").Order());
        // Each name leads to that account's page.
        var links = (await admin.GetPageAsync("/Admin/Users")).Document.QuerySelectorAll("#accounts tbody tr td:first-child a").Select(a => a.GetAttribute("href")).ToList();
        var reviewerId = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == Reviewer).Select(u => u.Id).SingleAsync());
        Assert.Equal(rows.Count, links.Count);
        Assert.Contains($"/Admin/Users/Edit/{reviewerId}", links);
    }

    [Fact]
    public async Task The_status_says_who_must_change_a_password_is_locked_out_or_disabled()
    {
        using var admin = await factory.LoginAsync(PortalFactory.Admin);
        var create = await admin.GetPageAsync("/Admin/Users/Create");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/Admin/Users/Create",
            create.Form().Set("DisplayName", "Dr Lena Listed").Set("Email", "lena@example.org").Set("SelectedRoles", "Editor"))).StatusCode);
        await factory.WithDbAsync(async db =>
        {
            var locked = await db.Users.SingleAsync(u => u.Email == Editor2);
            locked.LockoutEnd = DateTimeOffset.UtcNow.AddHours(1);
            var disabled = await db.Users.SingleAsync(u => u.Email == Reviewer2);
            disabled.IsDisabled = true;
            await db.SaveChangesAsync();
        });

        var rows = await RowsAsync(admin);

        Assert.Equal(["Dr Lena Listed", "lena@example.org", "Editor", "Active (must change password)", "Ada Admin"], rows["lena@example.org"][..5]);
        Assert.Equal("Locked out", rows[Editor2][3]);
        Assert.Equal("Disabled", rows[Reviewer2][3]);
        Assert.Equal("Active", rows[Editor][3]);
    }

    [Theory]
    [InlineData(Editor)]
    [InlineData(Reviewer)]
    [InlineData(Publisher)]
    public async Task Nobody_but_an_administrator_sees_the_accounts(string who)
    {
        using var person = await factory.LoginAsync(who);

        var response = await person.Http.GetAsync("/Admin/Users");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(Reviewer2, body);
        Assert.DoesNotContain("admin@contentportal.test", body);
    }

    [Fact]
    public async Task Without_a_login_the_list_leads_to_the_login()
    {
        using var anonymous = factory.NewClient();

        var response = await anonymous.Http.GetAsync("/Admin/Users");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location?.OriginalString);
    }
}
