using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Content;

/// <summary>A document: one version rendered as readers see it, and its whole history. Any signed-in user may read.</summary>
public class DetailsModel(PortalDbContext db, TimeProvider clock) : PageModel
{
    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    [BindProperty]
    public int ReviewIntervalMonths { get; set; }

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
        if (!ModelState.ContainsKey(nameof(ReviewIntervalMonths)))
        {
            ReviewIntervalMonths = document.ReviewIntervalMonths;
        }

        PublishedNumber = (await db.PublishedEntriesAsync()).FirstOrDefault(e => e.DocumentId == id)?.VersionNumber;
        EverPublished = PublishedNumber is not null || await db.Snapshots.AnyAsync(s => s.Entries.Any(e => e.DocumentId == id));
        return Page();
    }

    /// <summary>Reviewers set how long a full clinical review stays valid for this document.</summary>
    public async Task<IActionResult> OnPostReviewIntervalAsync(Guid id)
    {
        if (!User.IsInRole(Roles.Reviewer))
        {
            return Forbid(); // reading is open to every role; this change is the reviewers'
        }

        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == id);
        if (document is null)
        {
            return NotFound();
        }

        try
        {
            var before = document.ReviewIntervalMonths;
            var actor = User.ToActor();
            document.SetReviewInterval(ReviewIntervalMonths, actor);
            db.Record(AuditRecord.By(actor, Now, "document.review-period-changed", $"document:{id}", $"Review period {before} → {ReviewIntervalMonths} months"));
            await db.SaveChangesAsync();
            Message = $"The review period is now {ReviewIntervalMonths} months; it applies from the next full clinical review.";
            return RedirectToPage(new { id });
        }
        catch (InvalidContentException invalid)
        {
            ModelState.AddFieldErrors(invalid, "");
            db.ChangeTracker.Clear();
            return await OnGetAsync(id, null);
        }
    }
}
