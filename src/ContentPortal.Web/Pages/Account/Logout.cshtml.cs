using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContentPortal.Web.Pages.Account;

/// <summary>Logging out is a POST (with antiforgery), so a link elsewhere cannot log people out.</summary>
public class LogoutModel(SignInManager<PortalUser> signIn, PortalDbContext db, TimeProvider clock) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Content/Index");

    public async Task<IActionResult> OnPostAsync()
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            db.Record(AuditRecord.By(User.ToActor(), clock.GetUtcNow().UtcDateTime, AuditActions.Logout, $"user:{User.ToActor().UserId}", "Logged out"));
            await db.SaveChangesAsync();
        }

        await signIn.SignOutAsync();
        return RedirectToPage("/Account/Login");
    }
}
