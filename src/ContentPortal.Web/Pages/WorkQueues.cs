using System.Security.Claims;
using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages;

/// <summary>
/// The dashboard's lists, per person: their drafts, versions waiting for their review, their work sent
/// back, and approved versions not yet published. The layout shows the counts in the navigation.
/// </summary>
public sealed class WorkQueues(PortalDbContext db, TimeProvider clock)
{
    public sealed record Item(Guid VersionId, Guid DocumentId, int Number, string Title, VersionStatus Status, DateTime UpdatedAt, string UpdatedByName);

    /// <summary>
    /// A document whose clinical review is overdue or due soon, or whose evidence has not been re-checked
    /// within its review period (EvidenceDue is set only then; ReviewDue is MaxValue when it has none).
    /// </summary>
    public sealed record DueItem(Guid DocumentId, string Title, DateTime ReviewDue, bool Overdue, DateTime? EvidenceDue = null)
    {
        /// <summary>The published version a periodic review would keep (it is the latest approved one); null otherwise.</summary>
        public Guid? PeriodicReviewVersionId { get; init; }

        public bool EvidenceOverdue(DateTime now) => EvidenceDue <= now;
    }

    public sealed record WithdrawingItem(Guid DocumentId, string Title, DateTime DueAt, string Reason, bool Proposed);

    /// <summary>How far ahead the dashboard warns about review dates.</summary>
    public static readonly TimeSpan DueSoon = TimeSpan.FromDays(30);

    public sealed record Queues(IReadOnlyList<Item> MyDrafts, IReadOnlyList<Item> AwaitingMyReview, IReadOnlyList<Item> ChangesRequested, IReadOnlyList<Item> ReadyToPublish, IReadOnlyList<DueItem> ReviewDue)
    {
        /// <summary>Published documents set (or proposed) to be withdrawn, soonest first (everyone sees them).</summary>
        public IReadOnlyList<WithdrawingItem> Withdrawing { get; init; } = [];

        public int Mine => MyDrafts.Count + AwaitingMyReview.Count + ChangesRequested.Count + ReadyToPublish.Count;
    }

    private Queues? cached;

    /// <summary>Computed once per request (the layout and the dashboard both ask).</summary>
    public async Task<Queues> ForAsync(ClaimsPrincipal user)
    {
        if (cached is not null)
        {
            return cached;
        }

        var me = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
        var documents = db.Documents.AsNoTracking();

        // An open or sent-back version is always its document's latest, so each queue is the latest
        // version of the documents whose listed status says so (indexed), not a search of every version.
        IQueryable<DocumentVersion> Latest(VersionStatus status) => db.Pick(VersionOption.Latest, documents.Where(d => d.LatestStatus == status));

        IReadOnlyList<Item> drafts = [], review = [], sentBack = [], ready = [];
        if (user.IsInRole(Roles.Editor))
        {
            drafts = await Items(Latest(VersionStatus.Draft).Where(v => v.Authors.Any(a => a.UserId == me)));
            sentBack = await Items(Latest(VersionStatus.ChangesRequested).Where(v => v.Authors.Any(a => a.UserId == me)));
        }

        if (user.IsInRole(Roles.Reviewer))
        {
            // Four eyes: a version someone edited is not theirs to review.
            // Nor one they have signed already (when more than one signature is required).
            review = await Items(Latest(VersionStatus.InReview).Where(v => !v.Authors.Any(a => a.UserId == me) && !v.Approvals.Any(a => a.SignerId == me)));
        }

        if (user.IsInRole(Roles.Publisher))
        {
            // Approved, not yet what readers see: PublishPending (indexed) narrows to the documents a
            // publish would change; of those, the live ones.
            ready = await Items(db.Pick(VersionOption.LatestApproved, documents.Where(d => EF.Property<bool>(d, PortalDbContext.PublishPending) && d.RetiredAt == null)));
        }

        // Review dates rest on each document's latest approved version (NHS: review at least every 3 years).
        var now = clock.GetUtcNow().UtcDateTime;
        var horizon = now + DueSoon;
        var due = await db.Pick(VersionOption.LatestApproved, documents.Where(d => d.ListedReviewDue != null && d.ListedReviewDue <= horizon),
                (d, v) => new { v.DocumentId, v.Title, v.ReviewDue, Periodic = d.RetiredAt == null && d.PublishedVersionId == v.Id ? (Guid?)v.Id : null })
            .OrderBy(v => v.ReviewDue)
            .ToListAsync();
        var reviewDue = due.Select(v => new DueItem(v.DocumentId, v.Title, v.ReviewDue!.Value, v.ReviewDue <= now) { PeriodicReviewVersionId = v.Periodic }).ToList();
        foreach (var late in await EvidenceOverdueAsync(now))
        {
            var index = reviewDue.FindIndex(d => d.DocumentId == late.DocumentId);
            if (index >= 0)
            {
                reviewDue[index] = reviewDue[index] with { EvidenceDue = late.EvidenceDue };
            }
            else
            {
                reviewDue.Add(late);
            }
        }

        var withdrawing = await db.Withdrawals.AsNoTracking().Where(w => (w.Status == WithdrawalStatus.Pending || w.Status == WithdrawalStatus.Proposed))
            .OrderBy(w => w.DueAt)
            .Select(w => new WithdrawingItem(w.DocumentId, w.Title, w.DueAt, w.Reason, w.Status == WithdrawalStatus.Proposed))
            .ToListAsync();
        cached = new Queues(drafts, review, sentBack, ready, reviewDue) { Withdrawing = withdrawing };
        return cached;
    }

    /// <summary>
    /// Documents whose evidence has not been re-checked for longer than their review period, from the
    /// listing column <see cref="Document.ListedEvidenceDue"/> (ClinicalQuality.EvidenceDue, kept by the domain).
    /// </summary>
    private async Task<IReadOnlyList<DueItem>> EvidenceOverdueAsync(DateTime now)
    {
        var late = await db.Pick(VersionOption.LatestApproved, db.Documents.AsNoTracking().Where(d => d.ListedEvidenceDue != null && d.ListedEvidenceDue <= now),
                (d, v) => new { v.DocumentId, v.Title, v.ReviewDue, d.ListedEvidenceDue })
            .ToListAsync();
        return late.Select(v => new DueItem(v.DocumentId, v.Title, v.ReviewDue ?? DateTime.MaxValue, v.ReviewDue <= now, v.ListedEvidenceDue)).ToList();
    }

    private static async Task<IReadOnlyList<Item>> Items(IQueryable<DocumentVersion> query) =>
        await query.OrderByDescending(v => v.UpdatedAt)
            .Select(v => new Item(v.Id, v.DocumentId, v.Number, v.Title, v.Status, v.UpdatedAt, v.UpdatedByName))
            .ToListAsync();
}
