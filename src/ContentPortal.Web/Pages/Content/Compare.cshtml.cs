using ContentPortal.Domain;
using ContentPortal.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Content;

/// <summary>Any two versions of a document, word by word (inline or side by side); red flags flag by flag. Any signed-in user may read.</summary>
public class CompareModel(PortalDbContext db) : PageModel
{
    public Document Document { get; private set; } = null!;

    public DocumentVersion From { get; private set; } = null!;

    public DocumentVersion To { get; private set; } = null!;

    public ComparisonView Comparison { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, int? from, int? to, string? view)
    {
        var document = await db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id);
        if (document is null)
        {
            return NotFound();
        }

        Document = document;
        var toVersion = to is { } t ? document.Versions.FirstOrDefault(v => v.Number == t) : document.Latest;
        var fromVersion = from is { } f ? document.Versions.FirstOrDefault(v => v.Number == f)
            : document.Versions.Where(v => v.Number < (toVersion?.Number ?? 0)).MaxBy(v => v.Number) ?? toVersion;
        if (toVersion is null || fromVersion is null)
        {
            return NotFound();
        }

        (From, To) = (fromVersion, toVersion);
        Comparison = new ComparisonView(
            ContentComparison.Of(document.Kind, From.CurrentContent(), To.CurrentContent()),
            view == "side" ? "side" : "inline",
            $"Version {From.Number}",
            $"Version {To.Number}");
        return Page();
    }
}
