using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using ContentPortal.Web.Pages.Comments;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Guest;

/// <summary>
/// A guest's review link: one version as the review screen shows it, and its comment threads, where the guest
/// starts threads and replies as "Dr X (guest, via link)". No signing and no other page (<see cref="GuestLinkAccess"/>).
/// Every view and comment is audited on the link; an expired or revoked link answers 410 with a plain page.
/// </summary>
public class IndexModel(PortalDbContext db, TimeProvider clock) : PageModel
{
    private readonly DateTime now = clock.GetUtcNow().UtcDateTime;

    public ReviewLink Link { get; private set; } = null!;

    public Document Document { get; private set; } = null!;

    public DocumentVersion Version { get; private set; } = null!;

    public DocumentVersion? Published { get; private set; }

    public ComparisonView? Changes { get; private set; }

    /// <summary>The threads on this version (the guest sees no other version's).</summary>
    public IReadOnlyList<ReviewThread> Threads { get; private set; } = [];

    public IReadOnlyList<(string Value, string Label)> Anchors { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    [BindProperty]
    public Guid? ThreadId { get; set; }

    [BindProperty]
    public string? Anchor { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    /// <summary>Not indexed, no referrer (the token is in the address), not kept by caches.</summary>
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        var headers = context.HttpContext.Response.Headers;
        headers["X-Robots-Tag"] = "noindex, nofollow";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
    }

    public async Task<IActionResult> OnGetAsync(string token) => await OpenAsync(token, async () =>
    {
        Link.RecordView(now);
        await db.SaveChangesAsync();
        return Page();
    });

    public async Task<IActionResult> OnPostStartAsync(string token) => await OpenAsync(token, () => CommentAsync(token, () =>
    {
        var anchor = string.IsNullOrWhiteSpace(Anchor) ? null : Anchor;
        var anchorText = ThreadsView.AnchorLabel(Version, anchor);
        if (anchor is not null && anchorText is null)
        {
            throw new RefusedException("That paragraph or red flag is not in this version.");
        }

        db.ReviewThreads.Add(Link.StartThread(Version, anchor, anchorText, Text, now));
        return Task.FromResult("Comment added.");
    }));

    public async Task<IActionResult> OnPostReplyAsync(string token) => await OpenAsync(token, () => CommentAsync(token, async () =>
    {
        var thread = await db.ReviewThreads.FirstOrDefaultAsync(t => t.Id == ThreadId && t.VersionId == Link.VersionId)
            ?? throw new RefusedException("That comment thread is not on the version this link shows.");
        Link.Reply(thread, Text, now);
        return "Reply sent.";
    }));

    /// <summary>Saves the comment and comes back to the threads; a refusal shows the page again with the typed text.</summary>
    private async Task<IActionResult> CommentAsync(string token, Func<Task<string>> comment)
    {
        string? done = null;
        if (await this.TryAsync(async () =>
        {
            done = await comment();
            await db.SaveChangesAsync();
        }))
        {
            Message = done;
            return Redirect($"/Guest/{Uri.EscapeDataString(token)}#threads");
        }

        await LoadThreadsAsync();
        return Page();
    }

    /// <summary>404 for an unknown token, 410 for a closed link; otherwise loads what the page shows and runs <paramref name="open"/>.</summary>
    private async Task<IActionResult> OpenAsync(string token, Func<Task<IActionResult>> open)
    {
        var hash = ReviewLink.HashOf(token);
        if (await db.ReviewLinks.FirstOrDefaultAsync(l => l.TokenHash == hash) is not { } link)
        {
            return NotFound();
        }

        if (link.StateAt(now) is not ReviewLinkState.Active and var state)
        {
            return new Closed(state);
        }

        Link = link;
        Document = await db.Documents.AsNoTracking().FirstAsync(d => d.Id == link.DocumentId);
        Version = Document.Versions.First(v => v.Id == link.VersionId);
        Published = Document.Pick(VersionOption.Published);
        Changes = ComparisonView.AgainstPublished(Document.Kind, Published, Version, null);
        Anchors = ThreadsView.AnchorsOf(Version);
        await LoadThreadsAsync();
        return await open();
    }

    private async Task LoadThreadsAsync()
    {
        var threads = await db.ReviewThreads.AsNoTracking().Where(t => t.VersionId == Link.VersionId).ToListAsync();
        Threads = threads.OrderBy(t => t.IsResolved).ThenBy(t => t.Messages.Min(m => m.At)).ToList();
    }

    /// <summary>The plain 410 page: the link existed and is closed now.</summary>
    private sealed class Closed(ReviewLinkState state) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => ErrorAnswer.WriteAsync(context.HttpContext, StatusCodes.Status410Gone, "Link closed", "This review link is closed",
            state == ReviewLinkState.Revoked
                ? "This review link was revoked. Ask the person who sent it for a new one if you still need it."
                : "This review link has expired. Ask the person who sent it for a new one if you still need it.");
    }
}
