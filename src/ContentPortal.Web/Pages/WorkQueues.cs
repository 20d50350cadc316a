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
public sealed class WorkQueues(PortalDbContext db)
{
    public sealed record Item(Guid VersionId, Guid DocumentId, int Number, string Title, VersionStatus Status, DateTime UpdatedAt, string UpdatedByName);

    public sealed record Queues(IReadOnlyList<Item> MyDrafts, IReadOnlyList<Item> AwaitingMyReview, IReadOnlyList<Item> ChangesRequested, IReadOnlyList<Item> ReadyToPublish)
    {
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
        var versions = db.Versions.AsNoTracking();
        var latest = versions.Where(v => v.Number == versions.Where(x => x.DocumentId == v.DocumentId).Max(x => x.Number));

        IReadOnlyList<Item> drafts = [], review = [], sentBack = [], ready = [];
        if (user.IsInRole(Roles.Editor))
        {
            drafts = await Items(versions.Where(v => v.Status == VersionStatus.Draft && v.Authors.Any(a => a.UserId == me)));
            sentBack = await Items(latest.Where(v => v.Status == VersionStatus.ChangesRequested && v.Authors.Any(a => a.UserId == me)));
        }

        if (user.IsInRole(Roles.Reviewer))
        {
            // Four eyes: a version someone edited is not theirs to review.
            review = await Items(versions.Where(v => v.Status == VersionStatus.InReview && !v.Authors.Any(a => a.UserId == me)));
        }

        if (user.IsInRole(Roles.Publisher))
        {
            var published = (await db.Snapshots.AsNoTracking().OrderByDescending(s => s.Id).Select(s => s.Entries).FirstOrDefaultAsync() ?? [])
                .Select(e => e.VersionId).ToHashSet();
            var approved = await Items(versions.Where(v => v.Status == VersionStatus.Approved
                && v.Number == versions.Where(x => x.DocumentId == v.DocumentId && x.Status == VersionStatus.Approved).Max(x => x.Number)));
            ready = approved.Where(i => !published.Contains(i.VersionId)).ToList();
        }

        cached = new Queues(drafts, review, sentBack, ready);
        return cached;
    }

    private static async Task<IReadOnlyList<Item>> Items(IQueryable<DocumentVersion> query) =>
        await query.OrderByDescending(v => v.UpdatedAt)
            .Select(v => new Item(v.Id, v.DocumentId, v.Number, v.Title, v.Status, v.UpdatedAt, v.UpdatedByName))
            .ToListAsync();
}
