using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContentPortal.Web.Pages.Admin.Users;

/// <summary>
/// Roles, disable/enable, unlock and password reset for one account; every change is audited, and
/// anything that changes what the person may do ends their open sessions at once (security stamp).
/// </summary>
public class EditModel(UserManager<PortalUser> users, PortalDbContext db, TimeProvider clock, AccountChanges changes) : PageModel
{
    public PortalUser Person { get; private set; } = null!;

    public bool LockedOut { get; private set; }

    [BindProperty]
    public List<string> SelectedRoles { get; set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        SelectedRoles = [.. await users.GetRolesAsync(Person)];
        return Page();
    }

    public async Task<IActionResult> OnPostRolesAsync(string id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        var wanted = SelectedRoles.Where(Roles.All.Contains).Distinct().ToList();
        if (IsMe && !wanted.Contains(Roles.Admin))
        {
            ModelState.AddModelError(string.Empty, "You cannot remove your own Admin role; another admin must do it.");
            return Page();
        }

        if (!await this.TryAsync(async () => Message = await changes.SetRolesAsync(User.ToActor(), Person, wanted)))
        {
            return Page();
        }

        return RedirectToPage(new { id });
    }

    public Task<IActionResult> OnPostDisableAsync(string id) => ChangeAsync(id, async person =>
    {
        if (IsMe)
        {
            throw new RefusedException("You cannot disable your own account.");
        }

        person.IsDisabled = true;
        Audit(AuditActions.UserDisabled, "Account disabled; open sessions ended");
        await users.UpdateSecurityStampAsync(person); // saves, and ends their sessions at the next request
        return $"{person.DisplayName} is disabled and their sessions have ended.";
    });

    public Task<IActionResult> OnPostEnableAsync(string id) => ChangeAsync(id, async person =>
    {
        person.IsDisabled = false;
        Audit(AuditActions.UserEnabled, "Account enabled");
        Check(await users.UpdateAsync(person));
        return $"{person.DisplayName} can log in again.";
    });

    public Task<IActionResult> OnPostUnlockAsync(string id) => ChangeAsync(id, async person =>
    {
        Audit(AuditActions.UserUnlocked, "Lockout cleared");
        Check(await users.SetLockoutEndDateAsync(person, null));
        Check(await users.ResetAccessFailedCountAsync(person));
        return $"{person.DisplayName} is unlocked.";
    });

    public Task<IActionResult> OnPostResetPasswordAsync(string id) => ChangeAsync(id, async person =>
    {
        var (message, password) = await changes.ResetPasswordAsync(User.ToActor(), person);
        if (password is not null)
        {
            TempData["OneTimePassword"] = password;
            TempData["OneTimeFor"] = person.Email;
        }

        return message;
    }, backToList: true);

    private bool IsMe => Person.Id == User.ToActor().UserId;

    private async Task<IActionResult> ChangeAsync(string id, Func<PortalUser, Task<string>> change, bool backToList = false)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        string? done = null;
        if (!await this.TryAsync(async () => done = await change(Person)))
        {
            SelectedRoles = [.. await users.GetRolesAsync(Person)];
            return Page();
        }

        Message = done;
        return backToList ? RedirectToPage("/Admin/Users/Index") : RedirectToPage(new { id });
    }

    private void Audit(string action, string details) =>
        db.Record(AuditRecord.By(User.ToActor(), clock.GetUtcNow().UtcDateTime, action, $"user:{Person.Id}", $"{Person.DisplayName}: {details}"));

    private static void Check(IdentityResult result) => AccountChanges.Check(result);

    private async Task<bool> LoadAsync(string id)
    {
        var person = await users.FindByIdAsync(id);
        if (person is null)
        {
            return false;
        }

        Person = person;
        LockedOut = await users.IsLockedOutAsync(person);
        return true;
    }
}
