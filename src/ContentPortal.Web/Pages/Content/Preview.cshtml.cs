using ContentPortal.Domain;
using ContentPortal.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Content;

/// <summary>
/// Preview as published: the version being worked on (open draft or version in review, else the latest)
/// as readers will see it, and what it changes against the version the feed serves now.
/// </summary>
public class PreviewModel(PortalDbContext db) : PageModel
{
    public Document Document { get; private set; } = null!;

    public DocumentVersion Shown { get; private set; } = null!;

    public DocumentVersion? Published { get; private set; }

    public ComparisonView? Changes { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, string? view)
    {
        var document = await db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id);
        if (document is null)
        {
            return NotFound();
        }

        Document = document;
        Shown = document.OpenVersion ?? document.Latest;
        Published = document.Pick(VersionOption.Published);
        Changes = ComparisonView.AgainstPublished(document.Kind, Published, Shown, view);

        return Page();
    }
}
