using ContentPortal.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Content;

/// <summary>Where links between documents lead inside the portal: /Content/Slug/{slug} → that document's page.</summary>
public class SlugModel(PortalDbContext db) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string slug)
    {
        var id = await db.Documents.Where(d => d.Slug == slug).Select(d => (Guid?)d.Id).FirstOrDefaultAsync();
        return id is { } found ? RedirectToPage("/Content/Details", new { id = found }) : NotFound();
    }
}
