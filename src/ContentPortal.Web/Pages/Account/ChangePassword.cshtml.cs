using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContentPortal.Web.Pages.Account;

/// <summary>Any signed-in user changes their own password; required after a one-time password.</summary>
[Authorize]
public class ChangePasswordModel(UserManager<PortalUser> users, SignInManager<PortalUser> signIn, PortalDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty]
    public string? CurrentPassword { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    public bool Required => User.HasClaim(PortalClaimsFactory.MustChangePasswordClaim, "true");

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Forbid();
        }

        if (string.IsNullOrEmpty(CurrentPassword))
        {
            ModelState.AddModelError(nameof(CurrentPassword), "Enter your current password.");
        }

        if (string.IsNullOrEmpty(NewPassword))
        {
            ModelState.AddModelError(nameof(NewPassword), "Enter a new password.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await users.ChangePasswordAsync(user, CurrentPassword!, NewPassword!);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(error.Code == "PasswordMismatch" ? nameof(CurrentPassword) : nameof(NewPassword),
                    error.Code == "PasswordMismatch" ? "That is not your current password." : error.Description);
            }

            return Page();
        }

        user.MustChangePassword = false;
        db.Record(AuditRecord.By(User.ToActor(), clock.GetUtcNow().UtcDateTime, AuditActions.UserPasswordChanged, $"user:{user.Id}", "Changed their own password"));
        await users.UpdateAsync(user); // saves the audit line with the user in one SaveChanges
        await signIn.RefreshSignInAsync(user);
        TempData["Message"] = "Your password was changed.";
        return RedirectToPage("/Index");
    }
}
