using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Feedback;

/// <summary>
/// Readers' feedback from the public API (Feed/FeedbackEndpoint): new, actioned, dismissed, by document. An
/// editor marks it actioned, dismisses it, or opens a draft with the feedback attached as a comment thread.
/// </summary>
[Authorize(Roles = Roles.Editor)]
public class IndexModel(PortalDbContext db, TimeProvider clock) : PageModel
{
    public const int PageSize = 100;

    public sealed record Row(ReaderFeedback Feedback, string Title);

    [BindProperty(SupportsGet = true)]
    public FeedbackStatus Status { get; set; } = FeedbackStatus.New;

    [BindProperty(SupportsGet = true)]
    public Guid? Document { get; set; }

    [BindProperty]
    public Guid Id { get; set; }

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public IReadOnlyDictionary<FeedbackStatus, int> Counts { get; private set; } = new Dictionary<FeedbackStatus, int>();

    /// <summary>The documents that have feedback, for the filter.</summary>
    public IReadOnlyList<(Guid Id, string Title)> Documents { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync();
        return Page();
    }

    public Task<IActionResult> OnPostActionAsync() => DecideAsync(feedback =>
    {
        feedback.MarkActioned(User.ToActor(), clock.GetUtcNow().UtcDateTime);
        return Task.FromResult<IActionResult>(Back("Marked as actioned."));
    });

    public Task<IActionResult> OnPostDismissAsync() => DecideAsync(feedback =>
    {
        feedback.Dismiss(User.ToActor(), clock.GetUtcNow().UtcDateTime);
        return Task.FromResult<IActionResult>(Back("Dismissed."));
    });

    /// <summary>Opens the document's draft (or starts one) and puts the feedback on it as a comment thread.</summary>
    public Task<IActionResult> OnPostDraftAsync() => DecideAsync(async feedback =>
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var document = await db.Documents.FirstAsync(d => d.Id == feedback.DocumentId);
        var draft = document.OpenDraft(User.ToActor(), now, out _);
        db.ReviewThreads.Add(feedback.AttachTo(draft, User.ToActor(), now));
        Message = $"The feedback is a comment thread on draft version {draft.Number}.";
        return RedirectToPage("/Content/Edit", new { id = document.Id });
    });

    private async Task<IActionResult> DecideAsync(Func<ReaderFeedback, Task<IActionResult>> decide) =>
        await this.ActAsync(await db.ReaderFeedback.FirstOrDefaultAsync(f => f.Id == Id), async feedback =>
        {
            var answer = await decide(feedback);
            await db.SaveChangesAsync();
            return answer;
        }, async _ =>
        {
            Error = ModelState.Messages();
            await LoadAsync();
            return Page();
        }, stale: "Someone else acted on this feedback a moment ago. It is shown as it is now.");

    private IActionResult Back(string done)
    {
        Message = done;
        return RedirectToPage(new { status = Status, document = Document });
    }

    private async Task LoadAsync()
    {
        var all = db.ReaderFeedback.AsNoTracking();
        var ofDocument = Document is { } id ? all.Where(f => f.DocumentId == id) : all;
        Counts = (await ofDocument.GroupBy(f => f.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync())
            .ToDictionary(g => g.Key, g => g.Count);
        var rows = await ofDocument.Where(f => f.Status == Status).OrderByDescending(f => f.ReceivedAt).Take(PageSize).ToListAsync();
        var documentIds = await all.Select(f => f.DocumentId).Distinct().ToListAsync();
        var titles = await db.Pick(VersionOption.Latest, db.Documents.Where(d => documentIds.Contains(d.Id)))
            .Select(v => new { v.DocumentId, v.Title })
            .ToDictionaryAsync(v => v.DocumentId, v => v.Title);
        Rows = rows.Select(f => new Row(f, titles.GetValueOrDefault(f.DocumentId, f.Slug))).ToList();
        Documents = titles.OrderBy(t => t.Value, StringComparer.CurrentCultureIgnoreCase).Select(t => (t.Key, t.Value)).ToList();
    }
}
