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
        var entries = await db.Snapshots.AsNoTracking().OrderByDescending(s => s.Id).Select(s => s.Entries).FirstOrDefaultAsync() ?? [];
        var entry = entries.FirstOrDefault(e => e.DocumentId == id);
        Published = entry is null ? null : document.Versions.FirstOrDefault(v => v.Id == entry.VersionId);
        if (Published is not null && Published.Id != Shown.Id)
        {
            Changes = new ComparisonView(
                ContentComparison.Of(document.Kind, Published.CurrentContent(), Shown.CurrentContent()),
                view == "side" ? "side" : "inline",
                $"Published (version {Published.Number})",
                $"Version {Shown.Number}");
        }

        return Page();
    }
}
