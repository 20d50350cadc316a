using ContentPortal.Domain;
using ContentPortal.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Content;

/// <summary>A document: one version rendered as readers see it, and its whole history. Any signed-in user may read.</summary>
public class DetailsModel(PortalDbContext db) : PageModel
{
    public Document Document { get; private set; } = null!;

    public DocumentVersion Shown { get; private set; } = null!;

    public int? PublishedNumber { get; private set; }

    /// <summary>True once any snapshot held this document: its slug is then fixed.</summary>
    public bool EverPublished { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, int? version)
    {
        var document = await db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id);
        if (document is null)
        {
            return NotFound();
        }

        Document = document;
        var shown = version is { } n ? document.Versions.FirstOrDefault(v => v.Number == n) : document.Latest;
        if (shown is null)
        {
            return NotFound();
        }

        Shown = shown;
        var entries = await db.Snapshots.AsNoTracking().OrderByDescending(s => s.Id).Select(s => s.Entries).FirstOrDefaultAsync() ?? [];
        PublishedNumber = entries.FirstOrDefault(e => e.DocumentId == id)?.VersionNumber;
        EverPublished = PublishedNumber is not null || await db.Snapshots.AnyAsync(s => s.Entries.Any(e => e.DocumentId == id));
        return Page();
    }
}
