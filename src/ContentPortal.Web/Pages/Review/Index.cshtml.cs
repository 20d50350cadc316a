using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Review;

/// <summary>The review queue: every version in review, oldest first. Reviewers only (folder convention).</summary>
public class IndexModel(PortalDbContext db, TimeProvider clock) : PageModel
{
    public IReadOnlyList<Item> Waiting { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync()
    {
        var me = User.ToActor().UserId;
        var now = clock.GetUtcNow().UtcDateTime;
        // A version in review is its document's latest: the listed status finds them (indexed).
        var versions = await db.Pick(VersionOption.Latest, db.Documents.AsNoTracking().Where(d => d.LatestStatus == VersionStatus.InReview)).ToListAsync();
        Waiting = versions
            .OrderBy(v => v.SubmittedAt)
            .Select(v => new Item(
                v.Id,
                v.Title,
                v.Number,
                v.SubmittedAt,
                v.Transitions.LastOrDefault(t => t.To == VersionStatus.InReview)?.ByName ?? v.UpdatedByName,
                v.ChangeNote,
                v.IsClaimedAt(now) ? v.ClaimedByName : null,
                v.IsAuthoredBy(me) ? "No: you edited it"
                    : v.Approvals.Any(a => a.SignerId == me) ? "No: you already signed it"
                    : v.IsClaimedAt(now) && v.ClaimedById != me ? $"Not while {v.ClaimedByName} has it"
                    : "Yes"))
            .ToList();
    }

    public sealed record Item(Guid VersionId, string Title, int Number, DateTime? SubmittedAt, string SubmittedBy, string? ChangeNote, string? ClaimedBy, string CanApprove);
}
