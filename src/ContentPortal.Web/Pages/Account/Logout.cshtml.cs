using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContentPortal.Web.Pages.Account;

/// <summary>Logging out is a POST (with antiforgery), so a link elsewhere cannot log people out; it ends the session on the server.</summary>
public class LogoutModel(SignInManager<PortalUser> signIn, PortalDbContext db, TimeProvider clock) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Content/Index");

    public async Task<IActionResult> OnPostAsync()
    {
        if (User.Identity?.IsAuthenticated == true && await signIn.UserManager.GetUserAsync(User) is { } user)
        {
            db.Record(AuditRecord.By(User.ToActor(), clock.GetUtcNow().UtcDateTime, AuditActions.Logout, $"user:{user.Id}", "Logged out; the person's sessions ended on the server"));
            // A new security stamp (checked on every request) ends the session on the server: a copy of the
            // cookie taken before stops working at once. It ends the person's sessions on other devices too.
            await signIn.UserManager.UpdateSecurityStampAsync(user); // saves the audit line with it
        }

        await signIn.SignOutAsync();
        return RedirectToPage("/Account/Login");
    }
}
