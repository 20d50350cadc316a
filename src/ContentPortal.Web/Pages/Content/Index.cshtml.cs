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

    public const int MaxQueryLength = 200;

    /// <summary>Why a search was not run (too long), shown where the result count goes.</summary>
    public string? QueryError { get; private set; }

    /// <summary>More documents match the search than it lists (<see cref="DocumentSearch.MaxMatches"/>: the best, or the most recently created).</summary>
    public bool MoreMatches { get; private set; }

    /// <summary>How the search found its documents (Nothing when there was no search).</summary>
    public DocumentSearch.Found Found { get; private set; }

    /// <summary>The words around each listed row's hits.</summary>
    public IReadOnlyDictionary<Guid, SearchSnippet> Snippets { get; private set; } = new Dictionary<Guid, SearchSnippet>();

    /// <summary>The sort in effect: as asked, else the best match first for a search and the title otherwise.</summary>
    public string EffectiveSort => Sort is "title" or "updated" or "oldest" ? Sort : Searching ? "relevance" : "title";

    private bool Searching => !string.IsNullOrWhiteSpace(Query) && QueryError is null;

    /// <summary>Words in the title, summary or body.</summary>
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true, Name = "kind")]
    public DocumentKind? Kind { get; set; }

    [BindProperty(SupportsGet = true, Name = "status")]
    public VersionStatus? Status { get; set; }

    /// <summary>"relevance" (best match first, the default of a search), "title" (A–Z, the default otherwise), "updated" (newest first) or "oldest".</summary>
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
        [("relevance", "Best match"), ("title", "Title A–Z"), ("updated", "Recently updated"), ("oldest", "Least recently updated")];

    public async Task<IActionResult> OnGetAsync()
    {
        // Filters, sort and paging run on the documents' listing columns (indexed), never over every version;
        // a search reads the indexed latest text (Data/DocumentSearch.cs).
        var documents = db.Documents.AsNoTracking();
        DocumentSearch.Answer? answer = null;
        if (Query is { Length: > MaxQueryLength })
        {
            QueryError = $"Search for at most {MaxQueryLength} characters; this search has {Query.Length}.";
            documents = documents.Where(d => false);
        }
        else if (!string.IsNullOrWhiteSpace(Query))
        {
            // The index is asked once, for at most MaxMatches + 1 documents (one more tells that there are more),
            // and the page counts, sorts and pages its answer. The ids go as one array parameter (EF.Parameter):
            // by default EF 10 sends one parameter per id, and a statement of 3,000 took longer than the search.
            answer = await DocumentSearch.RankedAsync(db, Query, Kind, Status, DocumentSearch.MaxMatches + 1, HttpContext.RequestAborted);
            Found = answer.How;
            var matching = answer.Ids;
            if (matching.Count > DocumentSearch.MaxMatches)
            {
                MoreMatches = true;
                matching.RemoveAt(matching.Count - 1);
            }

            documents = documents.Where(d => EF.Parameter(matching).Contains(d.Id));
        }

        if (Kind is { } kind)
        {
            documents = documents.Where(d => d.Kind == kind);
        }

        if (Status is { } status)
        {
            documents = documents.Where(d => d.LatestStatus == status);
        }

        Total = answer is { } counted && EffectiveSort == "relevance" ? counted.Ids.Count : await documents.CountAsync();
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        if (answer is { } ranked && EffectiveSort == "relevance")
        {
            // The search's own order: the page's ids, then their rows put back in that order.
            var pageIds = ranked.Ids.Skip((PageNumber - 1) * PageSize).Take(PageSize).ToList();
            documents = documents.Where(d => EF.Parameter(pageIds).Contains(d.Id));
        }
        else
        {
            documents = (EffectiveSort switch
            {
                "updated" => documents.OrderByDescending(d => d.LatestUpdatedAt).ThenBy(d => d.LatestTitle),
                "oldest" => documents.OrderBy(d => d.LatestUpdatedAt).ThenBy(d => d.LatestTitle),
                _ => documents.OrderBy(d => d.LatestTitle).ThenBy(d => d.Id),
            }).Skip((PageNumber - 1) * PageSize).Take(PageSize);
        }

        var rows = await documents
            .Select(d => new { d.Id, d.Slug, d.LatestNumber, d.LatestTitle, d.LatestStatus, d.Kind, d.LatestUpdatedAt, d.ListedReviewDue, d.PublishedVersionId })
            .ToListAsync();
        if (answer is { } inOrder && EffectiveSort == "relevance")
        {
            var position = inOrder.Ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
            rows = rows.OrderBy(r => position[r.Id]).ToList();
        }

        if (answer is { } found)
        {
            Snippets = await DocumentSearch.SnippetsAsync(db, Query!, found, rows.Select(r => r.Id).ToList(), HttpContext.RequestAborted);
        }
        // The published version's number, for the 50 rows only.
        var publishedIds = rows.Where(r => r.PublishedVersionId != null).Select(r => r.PublishedVersionId!.Value).ToList();
        var publishedVersion = await db.Versions.AsNoTracking().Where(v => publishedIds.Contains(v.Id))
            .Select(v => new { v.DocumentId, v.Number })
            .ToDictionaryAsync(v => v.DocumentId, v => v.Number);
        Rows = rows
            .Select(d => new Row(d.Id, d.LatestTitle, d.Slug, d.Kind, d.LatestNumber, d.LatestStatus, publishedVersion.TryGetValue(d.Id, out var n) ? n : null, d.ListedReviewDue, d.LatestUpdatedAt))
            .ToList();

        // htmx asks for the results only; a history restore (back button with no cache) needs the whole page.
        return Request.IsHtmx() && !Request.IsHtmxHistoryRestoreRequest() ? Partial("_Results", this) : Page();
    }

    /// <summary>This list's URL with one parameter changed (paging links keep the filters).</summary>
    public string? UrlWith(int page) => Url.Page("/Content/Index", new { q = Query, kind = Kind, status = Status, sort = Sort, p = page });

    public sealed record Row(Guid Id, string Title, string Slug, DocumentKind Kind, int LatestNumber, VersionStatus LatestStatus, int? PublishedNumber, DateTime? ReviewDue, DateTime UpdatedAt);
}
