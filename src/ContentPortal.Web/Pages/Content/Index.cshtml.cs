using ContentPortal.Domain;
using ContentPortal.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Content;

public class IndexModel(PortalDbContext db, TimeProvider clock) : PageModel
{
    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync()
    {
        var published = await db.Snapshots.AsNoTracking().OrderByDescending(s => s.Id).Select(s => s.Entries).FirstOrDefaultAsync() ?? [];
        var publishedVersion = published.ToDictionary(e => e.DocumentId, e => e.VersionNumber);
        var versions = await db.Versions.AsNoTracking()
            .Select(v => new { v.DocumentId, v.Number, v.Title, v.Status, v.Kind, v.UpdatedAt, v.ReviewDue })
            .ToListAsync();
        // Review due is that of the latest approved version (the one the review dates rest on).
        var reviewDue = versions.Where(v => v.Status == VersionStatus.Approved)
            .GroupBy(v => v.DocumentId)
            .ToDictionary(g => g.Key, g => g.MaxBy(v => v.Number)!.ReviewDue);
        Rows = versions
            .GroupBy(v => v.DocumentId)
            .Select(g => g.MaxBy(v => v.Number)!)
            .Select(v => new Row(v.DocumentId, v.Title, v.Kind, v.Number, v.Status, publishedVersion.TryGetValue(v.DocumentId, out var n) ? n : null, reviewDue.GetValueOrDefault(v.DocumentId), v.UpdatedAt))
            .OrderBy(r => r.Kind).ThenBy(r => r.Title, StringComparer.CurrentCultureIgnoreCase)
            .ToList();
    }

    public sealed record Row(Guid Id, string Title, DocumentKind Kind, int LatestNumber, VersionStatus LatestStatus, int? PublishedNumber, DateTime? ReviewDue, DateTime UpdatedAt);
}
