using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Feed;

/// <summary>
/// Publishing, used by the Publish page, the scheduler and the seed import: plan, build the feed
/// bytes, store the snapshot and its webhook outbox rows in one transaction; only after the commit do
/// readers see it (a caller that brings its own transaction shows the snapshot after committing it).
/// </summary>
public static class Publishing
{
    public static async Task<SnapshotPlan> PlanAsync(PortalDbContext db, CancellationToken cancellationToken = default)
    {
        var current = await CurrentAsync(db, cancellationToken);
        var documents = await db.Documents.AsNoTracking().ToListAsync(cancellationToken);
        return SnapshotPlan.For(current, documents);
    }

    /// <summary>What republishing <paramref name="earlierId"/> would change (null when there is no such snapshot).</summary>
    public static async Task<SnapshotPlan?> RepublishPlanAsync(PortalDbContext db, int earlierId, CancellationToken cancellationToken = default)
    {
        var current = await CurrentAsync(db, cancellationToken);
        var earlier = await ContentsAsync(db.Snapshots.Where(s => s.Id == earlierId), cancellationToken);
        if (current is null || earlier is null)
        {
            return null;
        }

        var retired = await db.Documents.Where(d => d.RetiredAt != null).Select(d => d.Id).ToListAsync(cancellationToken);
        return SnapshotPlan.Republish(current, earlier, retired.ToHashSet());
    }

    public static Task<Snapshot> PublishAsync(PortalDbContext db, PublishedFeed feed, WebhookOutbox outbox, Actor by, DateTime at, string? note, CancellationToken cancellationToken = default) =>
        StoreAsync(db, feed, outbox, at, (current, documents) =>
        {
            var snapshot = Snapshot.Publish(SnapshotPlan.For(current, documents), by, at, note);
            return Task.FromResult<Snapshot?>(snapshot);
        }, cancellationToken)!;

    /// <summary>Roll back: a new snapshot (next id) with the content of an earlier one.</summary>
    public static Task<Snapshot> RepublishAsync(PortalDbContext db, PublishedFeed feed, WebhookOutbox outbox, int earlierId, Actor by, DateTime at, string? note, CancellationToken cancellationToken = default) =>
        StoreAsync(db, feed, outbox, at, async (current, documents) =>
        {
            var earlier = await ContentsAsync(db.Snapshots.Where(s => s.Id == earlierId), cancellationToken)
                ?? throw new RefusedException($"There is no snapshot {earlierId}.");
            var plan = SnapshotPlan.Republish(current!, earlier, documents.Where(d => d.IsRetired).Select(d => d.Id).ToHashSet());
            return Snapshot.Publish(plan, by, at, note);
        }, cancellationToken)!;

    /// <summary>Runs a due schedule: publishes it, or records why not; both in one transaction with the schedule's new state.</summary>
    public static Task<Snapshot?> RunScheduleAsync(PortalDbContext db, PublishedFeed feed, WebhookOutbox outbox, Guid scheduleId, DateTime at, CancellationToken cancellationToken = default) =>
        StoreAsync(db, feed, outbox, at, async (current, documents) =>
        {
            var schedule = await db.ScheduledPublishes.FirstAsync(s => s.Id == scheduleId, cancellationToken);
            return schedule.Run(SnapshotPlan.For(current, documents), at);
        }, cancellationToken);

    private static async Task<Snapshot?> StoreAsync(
        PortalDbContext db, PublishedFeed feed, WebhookOutbox outbox, DateTime at,
        Func<SnapshotContents?, List<Document>, Task<Snapshot?>> decide, CancellationToken cancellationToken)
    {
        // Joins the caller's transaction when there is one (the seed import publishes inside its own).
        var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await using var _ = ownTransaction;
        var current = await CurrentAsync(db, cancellationToken);
        var documents = await db.Documents.AsNoTracking().ToListAsync(cancellationToken);
        var snapshot = await decide(current, documents);
        if (snapshot is not null)
        {
            var versions = documents.SelectMany(d => d.Versions).ToDictionary(v => v.Id);
            snapshot.Seal(FeedBuilder.Build(snapshot, versions));
            db.Snapshots.Add(snapshot);
            await outbox.EnqueueAsync(db, snapshot, at, cancellationToken);
            // Every publish path (page, republish, schedule, seed import) is audited here, in the same transaction.
            db.Record(new AuditRecord(at, snapshot.PublishedById, snapshot.PublishedByName, "snapshot.published", $"snapshot:{snapshot.Id}",
                $"Published snapshot {snapshot.Id}{(snapshot.RepublishedFromId is { } from ? $", republishing snapshot {from}" : "")} " +
                $"({string.Join(", ", snapshot.Entries.Select(e => $"{e.Slug} v{e.VersionNumber}"))}) ETag {snapshot.ETag}: {snapshot.Note}"));
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
            }
        }
        catch (DbUpdateException) when (snapshot is not null)
        {
            // The snapshot id is the primary key: a publish that raced another one lands here.
            throw new RefusedException($"Someone else published snapshot {snapshot.Id} a moment ago. Check what is pending and publish again.");
        }

        if (ownTransaction is not null && snapshot is not null)
        {
            feed.Show(snapshot);
            outbox.Wake();
        }

        return snapshot;
    }

    private static Task<SnapshotContents?> CurrentAsync(PortalDbContext db, CancellationToken cancellationToken) =>
        ContentsAsync(db.Snapshots.OrderByDescending(s => s.Id), cancellationToken);

    // Id and entries only: planning never needs the (large) feed bytes.
    private static async Task<SnapshotContents?> ContentsAsync(IQueryable<Snapshot> snapshots, CancellationToken cancellationToken)
    {
        var row = await snapshots.AsNoTracking().Select(s => new { s.Id, s.Entries }).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : new SnapshotContents(row.Id, row.Entries);
    }
}
