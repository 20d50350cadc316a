using ContentPortal.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Admin.Users;

/// <summary>Every account with its roles and status. Admins only (folder convention).</summary>
public class IndexModel(PortalDbContext db, UserManager<PortalUser> users, TimeProvider clock) : PageModel
{
    public IReadOnlyList<Row> Rows { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    [TempData]
    public string? OneTimePassword { get; set; }

    [TempData]
    public string? OneTimeFor { get; set; }

    public async Task OnGetAsync()
    {
        var now = clock.GetUtcNow();
        var all = await db.Users.AsNoTracking().OrderBy(u => u.DisplayName).ToListAsync();
        var rows = new List<Row>();
        foreach (var user in all)
        {
            var status = user.IsDisabled ? "Disabled"
                : user.LockoutEnd is { } end && end > now ? "Locked out"
                : user.MustChangePassword ? "Active (must change password)"
                : "Active";
            rows.Add(new Row(user.Id, user.DisplayName, user.Email ?? "", await users.GetRolesAsync(user), status,
                user.CreatedByName ?? "Set-up (command or demo)", user.RolesChangedByName ?? "—"));
        }

        Rows = rows;
    }

    /// <summary>Created by / roles changed by: the people whose work this account may not sign.</summary>
    public sealed record Row(string Id, string DisplayName, string Email, IList<string> Roles, string Status, string CreatedBy, string RolesChangedBy);
}
