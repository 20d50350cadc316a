using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using Htmx;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Comments;

/// <summary>Start, reply to, resolve and reopen review threads. Editors and reviewers only.</summary>
[Authorize(Roles = Roles.Editor + "," + Roles.Reviewer)]
public class IndexModel(PortalDbContext db, TimeProvider clock) : PageModel
{
    public ThreadsView View { get; private set; } = null!;

    [BindProperty]
    public Guid VersionId { get; set; }

    [BindProperty]
    public Guid? ThreadId { get; set; }

    [BindProperty]
    public string? Anchor { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public string? ReturnUrl { get; set; }

    public IActionResult OnGet() => RedirectToPage("/Index");

    public Task<IActionResult> OnPostStartAsync() => ActAsync(async (version, actor, now) =>
    {
        var anchor = string.IsNullOrWhiteSpace(Anchor) ? null : Anchor;
        var anchorText = ThreadsView.AnchorLabel(version, anchor);
        if (anchor is not null && anchorText is null)
        {
            throw new RefusedException("That paragraph or red flag is not in this version.");
        }

        db.ReviewThreads.Add(ReviewThread.Start(version, anchor, anchorText, Text, actor, now));
        await Task.CompletedTask;
        return "Comment added.";
    });

    public Task<IActionResult> OnPostReplyAsync() => OnThreadAsync((thread, actor, now) =>
    {
        thread.Reply(Text, actor, now);
        return "Reply sent.";
    });

    public Task<IActionResult> OnPostResolveAsync() => OnThreadAsync((thread, actor, now) =>
    {
        thread.Resolve(actor, now);
        return "Thread resolved.";
    });

    public Task<IActionResult> OnPostReopenAsync() => OnThreadAsync((thread, actor, now) =>
    {
        thread.Reopen(actor, now);
        return "Thread reopened.";
    });

    private Task<IActionResult> OnThreadAsync(Func<ReviewThread, Actor, DateTime, string> act) =>
        ActAsync(async (version, actor, now) =>
        {
            var thread = await db.ReviewThreads.FirstOrDefaultAsync(t => t.Id == ThreadId && t.DocumentId == version.DocumentId)
                ?? throw new RefusedException("That comment thread does not exist on this document.");
            return act(thread, actor, now);
        });

    private async Task<IActionResult> ActAsync(Func<DocumentVersion, Actor, DateTime, Task<string>> act) =>
        await this.ActAsync(await db.Versions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == VersionId), async version =>
        {
            var done = await act(version, User.ToActor(), clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
            return await AnswerAsync(version, done, null);
        }, version => AnswerAsync(version, null, ModelState.Messages()));

    /// <summary>A plain form goes back where it came from; htmx (and a refusal) gets the threads, with the message.</summary>
    private async Task<IActionResult> AnswerAsync(DocumentVersion version, string? done, string? error)
    {
        var returnUrl = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : Url.Page("/Content/Details", new { id = version.DocumentId })!;
        if (!Request.IsHtmx() && done is not null)
        {
            TempData["Message"] = done;
            return LocalRedirect(returnUrl);
        }

        var document = await db.Documents.AsNoTracking().FirstAsync(d => d.Id == version.DocumentId);
        View = await ThreadsView.LoadAsync(db, document, version, returnUrl);
        View.Message = done;
        View.Error = error;
        return Request.IsHtmx() ? Partial("_Threads", View) : Page();
    }
}
