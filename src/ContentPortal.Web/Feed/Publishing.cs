using ContentPortal.Domain;
using ContentPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Feed;

/// <summary>
/// Publishing, used by the Publish page and the seed import: plan, build the feed bytes, and store
/// the snapshot in one transaction; only after the commit do readers see it (a caller that
/// brings its own transaction shows the snapshot after committing it).
/// </summary>
public static class Publishing
{
    public static async Task<SnapshotPlan> PlanAsync(PortalDbContext db, CancellationToken cancellationToken = default)
    {
        var current = await db.Snapshots.AsNoTracking().OrderByDescending(s => s.Id).FirstOrDefaultAsync(cancellationToken);
        var documents = await db.Documents.AsNoTracking().ToListAsync(cancellationToken);
        return SnapshotPlan.For(current, documents);
    }

    public static async Task<Snapshot> PublishAsync(PortalDbContext db, PublishedFeed feed, Actor by, DateTime at, string? note, CancellationToken cancellationToken = default)
    {
        // Joins the caller's transaction when there is one (the seed import publishes inside its own).
        var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await using var _ = ownTransaction;
        var current = await db.Snapshots.AsNoTracking().OrderByDescending(s => s.Id).FirstOrDefaultAsync(cancellationToken);
        var documents = await db.Documents.AsNoTracking().ToListAsync(cancellationToken);
        var plan = SnapshotPlan.For(current, documents);

        var snapshot = Snapshot.Publish(plan, by, at, note);
        var versions = documents.SelectMany(d => d.Versions).ToDictionary(v => v.Id);
        snapshot.Seal(FeedBuilder.Build(snapshot, versions));
        db.Snapshots.Add(snapshot);
        db.Record(AuditRecord.By(by, at, "snapshot.published", $"snapshot:{snapshot.Id}",
            $"Published snapshot {snapshot.Id} ({snapshot.Entries.Count} documents; {string.Join(", ", plan.Changes.Select(c => $"{c.Change.ToString().ToLowerInvariant()} {c.Entry.Slug} v{c.Entry.VersionNumber}"))}) ETag {snapshot.ETag}: {snapshot.Note}"));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
            }
        }
        catch (DbUpdateException)
        {
            // The snapshot id is the primary key: a publish that raced another one lands here.
            throw new RefusedException($"Someone else published snapshot {plan.NextId} a moment ago. Check what is pending and publish again.");
        }

        if (ownTransaction is not null)
        {
            feed.Show(snapshot);
        }

        return snapshot;
    }
}
