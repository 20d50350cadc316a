using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Content;

/// <summary>
/// A document: one version rendered as readers see it, and its whole history. Any signed-in user may
/// read; the document's own actions post here: Edit (open the draft), Restore an earlier version,
/// Change slug (editors) and the review period (reviewers). Retire lives with publishing.
/// </summary>
public class DetailsModel(PortalDbContext db, TimeProvider clock) : PageModel
{
    public DateTime Now { get; } = clock.GetUtcNow().UtcDateTime;

    [BindProperty]
    public int ReviewIntervalMonths { get; set; }

    public Document Document { get; private set; } = null!;

    public DocumentVersion Shown { get; private set; } = null!;

    public int? PublishedNumber { get; private set; }

    /// <summary>True once any snapshot held this document: its slug is then fixed.</summary>
    public bool EverPublished { get; private set; }

    /// <summary>The withdrawal set (or proposed at a periodic review) for this document and not yet run, if any.</summary>
    public Withdrawal? Withdrawing { get; private set; }

    [TempData]
    public string? Message { get; set; }

    /// <summary>A refused slug and its message, carried over the redirect so the field shows them.</summary>
    [TempData]
    public string? SlugTyped { get; set; }

    [TempData]
    public string? SlugError { get; set; }

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
        if (!ModelState.ContainsKey(nameof(ReviewIntervalMonths)))
        {
            ReviewIntervalMonths = document.ReviewIntervalMonths;
        }

        PublishedNumber = document.Pick(VersionOption.Published)?.Number;
        EverPublished = PublishedNumber is not null || await db.EverPublishedAsync(id);
        Withdrawing = await db.Withdrawals.AsNoTracking().FirstOrDefaultAsync(w => w.DocumentId == id && (w.Status == WithdrawalStatus.Pending || w.Status == WithdrawalStatus.Proposed));
        return Page();
    }

    /// <summary>Edit: opens the draft, creating it from the latest version if needed.</summary>
    public Task<IActionResult> OnPostOpenAsync(Guid id) => ActAsync(id, Roles.Editor, async document =>
    {
        document.OpenDraft(User.ToActor(), Now, out _);
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            // Someone opened the same draft at the same moment: theirs is the one, so open it.
        }

        return RedirectToPage("/Content/Edit", new { id });
    });

    /// <summary>History's "Restore as new draft": an earlier version's text becomes the draft (the old version is untouched).</summary>
    public Task<IActionResult> OnPostRestoreAsync(Guid id, int number, int? openDraftRevision) => ActAsync(id, Roles.Editor, async document =>
    {
        var draft = document.RestoreAsDraft(number, openDraftRevision, User.ToActor(), Now);
        await db.SaveChangesAsync();
        Message = $"The text of version {number} is now draft version {draft.Number}. Check it, then submit it for review.";
        return RedirectToPage("/Content/Edit", new { id });
    }, stale: "The open draft was saved after you opened this page, or someone changed this document at the same moment, so nothing was restored. Look at it again before restoring.");

    /// <summary>The slug form: allowed until the document is first published. A refused slug comes back in its field.</summary>
    public Task<IActionResult> OnPostChangeSlugAsync(Guid id, string? slug) => ActAsync(id, Roles.Editor, async document =>
    {
        slug = slug?.Trim() ?? "";
        // The typed text rides in the TempData cookie: keep it short enough for any browser.
        SlugTyped = slug.Length <= 2 * Slug.MaxLength ? slug : slug[..(2 * Slug.MaxLength)];
        document.ChangeSlug(slug, await db.SlugFactsAsync(id, slug), User.ToActor(), Now);
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            throw new InvalidContentException(new Dictionary<string, string> { ["Slug"] = Slug.Taken(slug) });
        }

        SlugTyped = null;
        Message = $"The slug is now \"{slug}\".";
        return RedirectToPage(new { id });
    });

    /// <summary>Reviewers set how long a full clinical review stays valid for this document.</summary>
    public async Task<IActionResult> OnPostReviewIntervalAsync(Guid id)
    {
        if (!User.IsInRole(Roles.Reviewer))
        {
            return Forbid(); // reading is open to every role; this change is the reviewers'
        }

        return await this.ActAsync(await db.Documents.FirstOrDefaultAsync(d => d.Id == id), async document =>
        {
            document.SetReviewInterval(ReviewIntervalMonths, User.ToActor(), Now);
            await db.SaveChangesAsync();
            Message = $"The review period is now {ReviewIntervalMonths} months; it applies from the next full clinical review.";
            return RedirectToPage(new { id });
        }, _ =>
        {
            db.ChangeTracker.Clear();
            return OnGetAsync(id, null);
        });
    }

    /// <summary>
    /// A document action for <paramref name="role"/> (checked here: Razor Pages ignore [Authorize] on
    /// handlers). A refusal comes back to this page: a slug problem in the slug field, anything else as the message.
    /// </summary>
    private async Task<IActionResult> ActAsync(Guid id, string role, Func<Document, Task<IActionResult>> act, string? stale = null)
    {
        if (!User.IsInRole(role))
        {
            return Forbid();
        }

        return await this.ActAsync(await db.Documents.FirstOrDefaultAsync(d => d.Id == id), act, _ =>
        {
            SlugError = ModelState.TryGetValue("Slug", out var slug) ? string.Join(" ", slug.Errors.Select(e => e.ErrorMessage)) : null;
            ModelState.Remove("Slug");
            Message = ModelState.Messages() is { Length: > 0 } refusal ? refusal : null;
            return Task.FromResult<IActionResult>(RedirectToPage(new { id }));
        }, stale: stale);
    }
}
