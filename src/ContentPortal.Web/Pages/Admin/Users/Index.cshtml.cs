using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Admin.Users;

/// <summary>
/// Every account with its roles and status, and the changes waiting for a second administrator (approve or
/// cancel here). Admins only (folder convention).
/// </summary>
public class IndexModel(PortalDbContext db, UserManager<PortalUser> users, TimeProvider clock, AccountChanges changes) : PageModel
{
    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public IReadOnlyList<PendingAccountChange> Pending { get; private set; } = [];

    /// <summary>Enabled administrators: with one, nobody can approve and the page says how to make a second.</summary>
    public int Administrators { get; private set; }

    public string MyId => User.ToActor().UserId;

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
        Pending = await db.PendingAccountChanges.AsNoTracking().OrderBy(c => c.RequestedAt).ToListAsync();
        Administrators = (await users.GetUsersInRoleAsync(Roles.Admin)).Count(u => !u.IsDisabled);
    }

    public Task<IActionResult> OnPostApproveAsync(Guid changeId) => DecideAsync(async () =>
    {
        var (message, password, forEmail) = await changes.ApproveAsync(User.ToActor(), changeId);
        if (password is not null)
        {
            OneTimePassword = password;
            OneTimeFor = forEmail;
        }

        return message;
    });

    public Task<IActionResult> OnPostCancelAsync(Guid changeId) => DecideAsync(() => changes.CancelAsync(User.ToActor(), changeId));

    private async Task<IActionResult> DecideAsync(Func<Task<string>> decide)
    {
        string? done = null;
        if (!await this.TryAsync(async () => done = await decide()))
        {
            await OnGetAsync();
            return Page();
        }

        Message = done;
        return RedirectToPage();
    }

    /// <summary>Created by / roles changed by: the people whose work this account may not sign.</summary>
    public sealed record Row(string Id, string DisplayName, string Email, IList<string> Roles, string Status, string CreatedBy, string RolesChangedBy);
}
