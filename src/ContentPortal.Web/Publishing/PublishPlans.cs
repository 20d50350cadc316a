using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Feed;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Publishing;

/// <summary>
/// The plan queries: what publishing now, or republishing an earlier snapshot, would change. They read the
/// documents' listing columns and the manifest the served feed holds, never whole documents, and what
/// would change is worked out in one place (<see cref="ManifestEdit.ChangesOf"/>) for the preview and the publish.
/// </summary>
public sealed class PublishPlans(PortalDbContext db, PublishedFeed feed, TimeProvider clock)
{
    /// <summary>What publishing now would change, as an edit of <paramref name="current"/> (the newest snapshot).</summary>
    public async Task<SnapshotPlan> PublishPlanAsync(SnapshotContents? current, CancellationToken cancellationToken) =>
        SnapshotPlan.For(current, (await PendingAsync(cancellationToken)).Select(p => new PendingEntry(p.Id, p.Kind, p.Slug, p.Next, p.Published is not null)).ToList());

    /// <summary>
    /// What the Publish page shows: the changes only, from the documents whose <see cref="PortalDbContext.PublishPending"/>
    /// column holds (an index of just those rows), without reading the current manifest or every document.
    /// </summary>
    public async Task<PublishPreview> PreviewAsync(CancellationToken cancellationToken)
    {
        var current = await db.CurrentSnapshot().Select(s => new { s.Id, s.DocumentCount }).FirstOrDefaultAsync(cancellationToken);
        var pending = await PendingAsync(cancellationToken);
        // The current manifest's size plus what is added, minus what leaves (published means in the newest
        // manifest, which the publish transaction keeps true): no count over every document.
        var count = (current?.DocumentCount ?? 0)
            + pending.Count(p => p.Next is not null && p.Published is null)
            - pending.Count(p => p.Next is null);
        var changes = ManifestEdit.ChangesOf(pending.Select(p => new Replacement(p.Published, p.Next)));
        return new PublishPreview((current?.Id ?? 0) + 1, count, changes);
    }

    /// <summary>What republishing <paramref name="earlierId"/> would change against <paramref name="current"/> (null when there is no such snapshot).</summary>
    public async Task<SnapshotPlan?> RepublishPlanAsync(SnapshotContents? current, int earlierId, CancellationToken cancellationToken)
    {
        var earlier = await ContentsAsync(earlierId, cancellationToken);
        if (current is null || earlier is null)
        {
            return null;
        }

        var retired = await db.Documents.Where(d => d.RetiredAt != null).Select(d => d.Id).ToListAsync(cancellationToken);
        return SnapshotPlan.Republish(current, earlier, retired.ToHashSet());
    }

    /// <summary>
    /// The newest snapshot's manifest: from the feed this process serves when that is the newest (no read
    /// of 10,000 rows), else from the database (another instance published, or nothing is shown yet).
    /// </summary>
    public async Task<SnapshotContents?> CurrentAsync(CancellationToken cancellationToken)
    {
        var newest = await db.Snapshots.MaxAsync(s => (int?)s.Id, cancellationToken);
        if (newest is null)
        {
            return null;
        }

        return feed.Current is { } shown && shown.SnapshotId == newest
            ? new SnapshotContents(shown.SnapshotId, shown.Entries)
            : await ContentsAsync(newest.Value, cancellationToken);
    }

    // Id and manifest only: planning never needs the feed bytes. Put in feed order once here, so the plan
    // edits this very list and the publish writes its rows from the edit (ManifestEdit.Rows).
    private async Task<SnapshotContents?> ContentsAsync(int id, CancellationToken cancellationToken) =>
        await db.Snapshots.AnyAsync(s => s.Id == id, cancellationToken)
            ? new SnapshotContents(id, FeedOrderedManifest.Of(await db.ManifestOf(id).ToListAsync(cancellationToken)))
            : null;

    /// <summary>A document publishing would change: the entry it would have (null: it leaves the feed) and the one it has now (null: new).</summary>
    private sealed record PendingDocument(Guid Id, DocumentKind Kind, string Slug, SnapshotEntry? Next, SnapshotEntry? Published);

    /// <summary>
    /// The documents whose <see cref="PortalDbContext.PublishPending"/> holds (read through its index): each
    /// one's latest approved version as its next entry when it is live, none when it leaves, and its published
    /// one. A document not pending is live, approved and published at its latest approved version, or neither
    /// live-approved nor published, so its entry is already right. The versions are read by the ids in the
    /// listing columns, in chunks, so a large first publish stays within the databases' parameter limits.
    /// </summary>
    private async Task<List<PendingDocument>> PendingAsync(CancellationToken cancellationToken)
    {
        var rows = await db.Documents.AsNoTracking()
            .Where(d => EF.Property<bool>(d, PortalDbContext.PublishPending))
            .Select(d => new { d.Id, d.Kind, d.Slug, Live = d.RetiredAt == null && d.LatestApprovedId != null, d.LatestApprovedId, d.PublishedVersionId, d.PublishedPeriodicReviews, d.PublishedReviewOverdue })
            .ToListAsync(cancellationToken);
        var ids = rows.SelectMany(r => new[] { r.Live ? r.LatestApprovedId : null, r.PublishedVersionId }).OfType<Guid>().Distinct().ToList();
        var versions = new Dictionary<Guid, (int Number, string Title, int PeriodicReviews, DateTime? ReviewDue)>();
        foreach (var chunk in ids.Chunk(500))
        {
            foreach (var v in await db.Versions.AsNoTracking().Where(v => chunk.Contains(v.Id)).Select(v => new { v.Id, v.Number, v.Title, v.PeriodicReviews, v.ReviewDue }).ToListAsync(cancellationToken))
            {
                versions[v.Id] = (v.Number, v.Title, v.PeriodicReviews, v.ReviewDue);
            }
        }

        var now = clock.GetUtcNow().UtcDateTime;
        return rows.Select(r =>
        {
            // The next entry carries the version's periodic reviews now, and says the review is overdue when its
            // date has passed (a minor change keeps the dates before it); the published one what it was published with.
            SnapshotEntry? EntryOf(Guid? versionId, int? periodicReviews, bool? overdue) => versionId is { } id
                ? new SnapshotEntry(r.Id, id, versions[id].Number, r.Kind, r.Slug, versions[id].Title, periodicReviews ?? versions[id].PeriodicReviews,
                    overdue ?? OverduePolicy.IsOverdue(versions[id].ReviewDue, now))
                : null;
            return new PendingDocument(r.Id, r.Kind, r.Slug, r.Live ? EntryOf(r.LatestApprovedId, null, null) : null, EntryOf(r.PublishedVersionId, r.PublishedPeriodicReviews, r.PublishedReviewOverdue));
        }).ToList();
    }
}

/// <summary>What the next publish would change (the Publish page), without the full list of entries.</summary>
public sealed record PublishPreview(int NextId, int DocumentCount, IReadOnlyList<PlannedChange> Changes)
{
    public bool HasChanges => Changes.Count > 0;

    /// <summary>Posted back by Publish now; the publish is refused if its plan no longer matches.</summary>
    public string Fingerprint => SnapshotPlan.FingerprintOf(Changes);
}
