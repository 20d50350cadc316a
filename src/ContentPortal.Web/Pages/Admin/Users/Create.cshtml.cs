using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContentPortal.Web.Pages.Admin.Users;

/// <summary>
/// Creates an account with a one-time password shown once to the admin; the person must choose
/// their own at first login. (No email is sent: the portal has no mail server configured.) Signing and
/// publishing roles wait for a second administrator.
/// </summary>
public class CreateModel(UserManager<PortalUser> users, AccountChanges changes) : PageModel
{
    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public List<string> SelectedRoles { get; set; } = [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(DisplayName))
        {
            ModelState.AddModelError(nameof(DisplayName), "Enter the person's full name.");
        }

        if (string.IsNullOrWhiteSpace(Email) || !new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(Email.Trim()))
        {
            ModelState.AddModelError(nameof(Email), "Enter an email address like name@example.org.");
        }
        else if (await users.FindByEmailAsync(Email.Trim()) is not null)
        {
            ModelState.AddModelError(nameof(Email), "A user with this email already exists.");
        }

        if (SelectedRoles.Count == 0 || SelectedRoles.Any(r => !Roles.All.Contains(r)))
        {
            ModelState.AddModelError(nameof(SelectedRoles), "Choose at least one role.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var email = Email!.Trim();
        var me = User.ToActor();
        var user = new PortalUser
        {
            UserName = email, Email = email, EmailConfirmed = true, DisplayName = DisplayName!.Trim(), MustChangePassword = true,
            CreatedById = me.UserId, CreatedByName = me.DisplayName,
        };
        var password = OneTimePassword.New();
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            ModelState.AddModelError(string.Empty, string.Join(" ", created.Errors.Select(e => e.Description)));
            return Page();
        }

        // Reviewer and Publisher wait for a second administrator (AccountChanges); the rest is granted now.
        changes.Administered(me, user, AdministrationAction.Created);
        changes.Audit(me, AuditActions.UserCreated, user, $"Created {user.DisplayName} <{email}>, asking for roles {string.Join(", ", SelectedRoles.Distinct())}");
        var roles = await changes.SetRolesAsync(me, user, SelectedRoles);
        TempData["Message"] = $"Created {user.DisplayName}. Give them the one-time password below by a safe channel. {roles}";
        TempData["OneTimePassword"] = password;
        TempData["OneTimeFor"] = email;
        return RedirectToPage("/Admin/Users/Index");
    }
}
