using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Feed;

/// <summary>
/// Publishing, for the Publish pages, the scheduler and the seed import: plan, build the feed bytes,
/// store the snapshot and its webhook outbox rows in one transaction; only after the commit do readers
/// see it (a caller that brings its own transaction shows the snapshot after committing it).
/// Each action reads the clock once, so everything one publish writes carries one time.
/// </summary>
public sealed class Publisher(PortalDbContext db, PublishedFeed feed, WebhookOutbox outbox, TimeProvider clock, ContentPortal.Web.Auditing.AuditAnchor anchor)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<SnapshotPlan> PlanAsync(CancellationToken cancellationToken = default)
    {
        var current = await CurrentAsync(cancellationToken);
        var documents = await db.Documents.AsNoTracking().ToListAsync(cancellationToken);
        return SnapshotPlan.For(current, documents);
    }

    /// <summary>What republishing <paramref name="earlierId"/> would change (null when there is no such snapshot).</summary>
    public async Task<SnapshotPlan?> RepublishPlanAsync(int earlierId, CancellationToken cancellationToken = default)
    {
        var current = await CurrentAsync(cancellationToken);
        var earlier = await ContentsAsync(db.Snapshots.Where(s => s.Id == earlierId), cancellationToken);
        if (current is null || earlier is null)
        {
            return null;
        }

        var retired = await db.Documents.Where(d => d.RetiredAt != null).Select(d => d.Id).ToListAsync(cancellationToken);
        return SnapshotPlan.Republish(current, earlier, retired.ToHashSet());
    }

    public Task<Snapshot> PublishAsync(Actor by, string? note, CancellationToken cancellationToken = default) =>
        PublishAsync(by, note, Now, cancellationToken);

    /// <summary>Publish at a given time: the seed import publishes at the moment it imported.</summary>
    internal Task<Snapshot> PublishAsync(Actor by, string? note, DateTime at, CancellationToken cancellationToken = default) =>
        StoreAsync(at, (current, documents) =>
            Task.FromResult<Snapshot?>(Snapshot.Publish(SnapshotPlan.For(current, documents), by, at, note)), cancellationToken)!;

    /// <summary>Roll back: a new snapshot (next id) with the content of an earlier one.</summary>
    public Task<Snapshot> RepublishAsync(int earlierId, Actor by, string? note, CancellationToken cancellationToken = default)
    {
        var at = Now;
        return StoreAsync(at, async (current, documents) =>
        {
            var earlier = await ContentsAsync(db.Snapshots.Where(s => s.Id == earlierId), cancellationToken)
                ?? throw new RefusedException($"There is no snapshot {earlierId}.");
            var plan = SnapshotPlan.Republish(current!, earlier, documents.Where(d => d.IsRetired).Select(d => d.Id).ToHashSet());
            return Snapshot.Publish(plan, by, at, note);
        }, cancellationToken)!;
    }

    /// <summary>Schedules what would be published now, at <paramref name="dueAt"/> (UTC).</summary>
    public async Task<ScheduledPublish> ScheduleAsync(Actor by, DateTime dueAt, string? note, CancellationToken cancellationToken = default)
    {
        var schedule = ScheduledPublish.Create(await PlanAsync(cancellationToken), by, Now, dueAt, note);
        db.ScheduledPublishes.Add(schedule);
        await db.SaveChangesAsync(cancellationToken);
        return schedule;
    }

    /// <summary>Runs a due schedule: publishes it, or records why not; both in one transaction with the schedule's new state.</summary>
    public Task<Snapshot?> RunScheduleAsync(Guid scheduleId, CancellationToken cancellationToken = default)
    {
        var at = Now;
        return StoreAsync(at, async (current, documents) =>
        {
            var schedule = await db.ScheduledPublishes.FirstAsync(s => s.Id == scheduleId, cancellationToken);
            return schedule.Run(SnapshotPlan.For(current, documents), at);
        }, cancellationToken);
    }

    private async Task<Snapshot?> StoreAsync(DateTime at, Func<SnapshotContents?, List<Document>, Task<Snapshot?>> decide, CancellationToken cancellationToken)
    {
        // Joins the caller's transaction when there is one (the seed import publishes inside its own).
        var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await using var _ = ownTransaction;
        var current = await CurrentAsync(cancellationToken);
        var documents = await db.Documents.AsNoTracking().ToListAsync(cancellationToken);
        var snapshot = await decide(current, documents);
        if (snapshot is not null)
        {
            var versions = documents.SelectMany(d => d.Versions).ToDictionary(v => v.Id);
            // Sealing records the publish in the audit trail (the snapshot's own event), saved with it below.
            snapshot.Seal(FeedBuilder.Build(snapshot, versions));
            db.Snapshots.Add(snapshot);
            await outbox.EnqueueAsync(db, snapshot, at, cancellationToken);
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
            // Every publish anchors the audit chain (issue 11): a keyed checkpoint over its head.
            await anchor.WriteAsync(db, at, $"publish of snapshot {snapshot.Id}", cancellationToken);
            feed.Show(snapshot);
            outbox.Wake();
        }

        return snapshot;
    }

    private Task<SnapshotContents?> CurrentAsync(CancellationToken cancellationToken) =>
        ContentsAsync(db.CurrentSnapshot(), cancellationToken);

    // Id and entries only: planning never needs the (large) feed bytes.
    private static async Task<SnapshotContents?> ContentsAsync(IQueryable<Snapshot> snapshots, CancellationToken cancellationToken)
    {
        var row = await snapshots.AsNoTracking().Select(s => new { s.Id, s.Entries }).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : new SnapshotContents(row.Id, row.Entries);
    }
}
