using ContentPortal.Domain;
using ContentPortal.Web.Data;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Content;

/// <summary>
/// Every document by its latest version: search, filter, sort, 50 per page. The filters are GET query
/// parameters, so htmx swaps only the results (and pushes the URL) while the same URL renders the whole page.
/// </summary>
public class IndexModel(PortalDbContext db, TimeProvider clock) : PageModel
{
    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    public const int PageSize = 50;

    /// <summary>Words in the title, summary or body.</summary>
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true, Name = "kind")]
    public DocumentKind? Kind { get; set; }

    [BindProperty(SupportsGet = true, Name = "status")]
    public VersionStatus? Status { get; set; }

    /// <summary>"title" (A–Z, the default), "updated" (newest first) or "oldest".</summary>
    [BindProperty(SupportsGet = true, Name = "sort")]
    public string? Sort { get; set; }

    /// <summary>"p", not "page": Razor Pages reserves the route value "page" for the page's own name.</summary>
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public int Total { get; private set; }

    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    [TempData]
    public string? Message { get; set; }

    public static readonly IReadOnlyList<(string Value, string Label)> SortOptions =
        [("title", "Title A–Z"), ("updated", "Recently updated"), ("oldest", "Least recently updated")];

    public async Task<IActionResult> OnGetAsync()
    {
        // The latest version of each document; filters and sort run in the database (provider-neutral LINQ).
        var latest = db.Pick(VersionOption.Latest);
        if (!string.IsNullOrWhiteSpace(Query))
        {
            var term = Query.Trim().ToLower();
            latest = latest.Where(v => v.Title.ToLower().Contains(term) || v.Summary.ToLower().Contains(term) || v.BodyMarkdown.ToLower().Contains(term));
        }

        if (Kind is { } kind)
        {
            latest = latest.Where(v => v.Kind == kind);
        }

        if (Status is { } status)
        {
            latest = latest.Where(v => v.Status == status);
        }

        latest = Sort switch
        {
            "updated" => latest.OrderByDescending(v => v.UpdatedAt).ThenBy(v => v.Title),
            "oldest" => latest.OrderBy(v => v.UpdatedAt).ThenBy(v => v.Title),
            _ => latest.OrderBy(v => v.Title).ThenBy(v => v.DocumentId),
        };

        Total = await latest.CountAsync();
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        var slugs = db.Documents.Select(d => new { d.Id, d.Slug });
        var rows = await latest
            .Skip((PageNumber - 1) * PageSize).Take(PageSize)
            .Join(slugs, v => v.DocumentId, d => d.Id, (v, d) => new { v.DocumentId, d.Slug, v.Number, v.Title, v.Status, v.Kind, v.UpdatedAt })
            .ToListAsync();
        // Review due is that of each document's latest approved version (the one the review dates rest on).
        var ids = rows.Select(r => r.DocumentId).ToList();
        var reviewDue = await db.Pick(VersionOption.LatestApproved)
            .Where(v => ids.Contains(v.DocumentId))
            .ToDictionaryAsync(v => v.DocumentId, v => v.ReviewDue);
        var publishedVersion = await db.Pick(VersionOption.Published)
            .Where(v => ids.Contains(v.DocumentId))
            .ToDictionaryAsync(v => v.DocumentId, v => v.Number);
        Rows = rows
            .Select(v => new Row(v.DocumentId, v.Title, v.Slug, v.Kind, v.Number, v.Status, publishedVersion.TryGetValue(v.DocumentId, out var n) ? n : null, reviewDue.GetValueOrDefault(v.DocumentId), v.UpdatedAt))
            .ToList();

        // htmx asks for the results only; a history restore (back button with no cache) needs the whole page.
        return Request.IsHtmx() && !Request.IsHtmxHistoryRestoreRequest() ? Partial("_Results", this) : Page();
    }

    /// <summary>This list's URL with one parameter changed (paging links keep the filters).</summary>
    public string? UrlWith(int page) => Url.Page("/Content/Index", new { q = Query, kind = Kind, status = Status, sort = Sort, p = page });

    public sealed record Row(Guid Id, string Title, string Slug, DocumentKind Kind, int LatestNumber, VersionStatus LatestStatus, int? PublishedNumber, DateTime? ReviewDue, DateTime UpdatedAt);
}
