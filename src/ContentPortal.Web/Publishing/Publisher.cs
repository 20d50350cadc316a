using ContentPortal.Domain;
using ContentPortal.Web.Auditing;
using ContentPortal.Web.Data;
using ContentPortal.Web.Feed;
using ContentPortal.Web.Infrastructure;
using ContentPortal.Web.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Publishing;

/// <summary>
/// Where a publish happens, for the Publish pages, the scheduler and the seed import. A publish is four
/// steps (<see cref="StoreAsync"/>): plan against the newest snapshot, prepare the feed (items, compose,
/// seal), write it in one transaction (header, manifest rows, renditions, webhook notices, audit line,
/// documents marked published), then hand it to the served feed. Readers see it only after the commit (a
/// caller that brings its own transaction shows it after committing). Each action reads the clock once, so
/// everything one publish writes carries one time.
/// </summary>
public sealed class Publisher(PortalDbContext db, PublishedFeed feed, WebhookOutbox outbox, TimeProvider clock, AuditAnchor anchor, ILogger<Publisher> logger)
{
    private readonly PublishPlans plans = new(db, feed, clock);

    private readonly FeedItems items = new(db, feed);

    // Whole microseconds, as every stored time (the snapshot header is inserted as plain SQL, past EF's converter).
    private DateTime Now => WholeMicroseconds(clock.GetUtcNow().UtcDateTime);

    private static DateTime WholeMicroseconds(DateTime utc) => new(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);

    /// <summary>What publishing now would change: from the documents' listing columns, never whole documents.</summary>
    public async Task<SnapshotPlan> PlanAsync(CancellationToken cancellationToken = default) =>
        await plans.PublishPlanAsync(await plans.CurrentAsync(cancellationToken), cancellationToken);

    /// <summary>What the Publish page shows: the changes only (<see cref="PublishPlans.PreviewAsync"/>).</summary>
    public Task<PublishPreview> PreviewAsync(CancellationToken cancellationToken = default) => plans.PreviewAsync(cancellationToken);

    /// <summary>What republishing <paramref name="earlierId"/> would change (null when there is no such snapshot).</summary>
    public async Task<SnapshotPlan?> RepublishPlanAsync(int earlierId, CancellationToken cancellationToken = default) =>
        await plans.RepublishPlanAsync(await plans.CurrentAsync(cancellationToken), earlierId, cancellationToken);

    public async Task<Snapshot> PublishAsync(Actor by, string? note, CancellationToken cancellationToken = default) =>
        (await PublishAtAsync(by, note, Now, _ => { }, cancellationToken)).Publication.Snapshot;

    /// <summary>
    /// Publish now, as the Publish page shows it: refused unless what would be published is still what the
    /// publisher was shown (<see cref="PublishPreview.Fingerprint"/> posted back).
    /// </summary>
    public async Task<Snapshot> PublishShownAsync(Actor by, string? note, string? shownPlan, CancellationToken cancellationToken = default) =>
        (await PublishAtAsync(by, note, Now, plan => plan.RefuseUnlessShown(shownPlan), cancellationToken)).Publication.Snapshot;

    /// <summary>
    /// Publish at a given time inside the caller's transaction (the seed import publishes at the moment it
    /// imported): the caller commits, then hands the release to the served feed (<see cref="PublishedFeed.Show"/>).
    /// </summary>
    internal Task<FeedRelease> PublishInTransactionAsync(Actor by, string? note, DateTime at, CancellationToken cancellationToken = default) =>
        PublishAtAsync(by, note, WholeMicroseconds(at), _ => { }, cancellationToken);

    private async Task<FeedRelease> PublishAtAsync(Actor by, string? note, DateTime at, Action<SnapshotPlan> check, CancellationToken cancellationToken) =>
        (await StoreAsync(at, async current =>
        {
            var plan = await plans.PublishPlanAsync(current, cancellationToken);
            var publication = Snapshot.Publish(plan, by, at, note);
            check(plan);
            return publication;
        }, cancellationToken))!;

    /// <summary>
    /// Roll back, as the Republish page shows it: a new snapshot (next id) with the content of an earlier
    /// one, refused unless what it would change is still what the publisher was shown
    /// (<see cref="SnapshotPlan.Fingerprint"/> posted back): a fix published meanwhile is never removed unseen.
    /// </summary>
    public async Task<Snapshot> RepublishAsync(int earlierId, Actor by, string? note, string? shownPlan, CancellationToken cancellationToken = default)
    {
        var at = Now;
        return (await StoreAsync(at, async current =>
        {
            var plan = await plans.RepublishPlanAsync(current, earlierId, cancellationToken)
                ?? throw new RefusedException($"There is no snapshot {earlierId}.");
            var publication = Snapshot.Publish(plan, by, at, note);
            plan.RefuseUnlessShown(shownPlan);
            return publication;
        }, cancellationToken))!.Publication.Snapshot;
    }

    /// <summary>Schedules what would be published now, at <paramref name="dueAt"/> (UTC).</summary>
    public Task<ScheduledPublish> ScheduleAsync(Actor by, DateTime dueAt, string? note, CancellationToken cancellationToken = default) =>
        ScheduleAsync(by, dueAt, note, _ => { }, cancellationToken);

    /// <summary>Schedules from the Publish page: refused unless the plan is still the one the publisher was shown.</summary>
    public Task<ScheduledPublish> ScheduleShownAsync(Actor by, DateTime dueAt, string? note, string? shownPlan, CancellationToken cancellationToken = default) =>
        ScheduleAsync(by, dueAt, note, plan => plan.RefuseUnlessShown(shownPlan), cancellationToken);

    private async Task<ScheduledPublish> ScheduleAsync(Actor by, DateTime dueAt, string? note, Action<SnapshotPlan> check, CancellationToken cancellationToken)
    {
        var plan = await PlanAsync(cancellationToken);
        var schedule = ScheduledPublish.Create(plan, by, Now, dueAt, note);
        check(plan);
        db.ScheduledPublishes.Add(schedule);
        await db.SaveChangesAsync(cancellationToken);
        return schedule;
    }

    /// <summary>Runs a due schedule: publishes it, or records why not; both in one transaction with the schedule's new state.</summary>
    public async Task<Snapshot?> RunScheduleAsync(Guid scheduleId, CancellationToken cancellationToken = default)
    {
        var at = Now;
        return (await StoreAsync(at, async current =>
        {
            var schedule = await db.ScheduledPublishes.FirstAsync(s => s.Id == scheduleId, cancellationToken);
            return schedule.Run(await plans.PublishPlanAsync(current, cancellationToken), at);
        }, cancellationToken))?.Publication.Snapshot;
    }

    /// <summary>
    /// Runs a due withdrawal: retires the document and publishes the newest snapshot minus it, as the
    /// publisher who set it (nothing else pending goes out with it), or records why it did not run; in one
    /// transaction with the withdrawal's new state. A second run of the same withdrawal is refused (already
    /// ran), and two instances racing are told apart by the publish lock as any publish is.
    /// </summary>
    public async Task<Snapshot?> RunWithdrawalAsync(Guid withdrawalId, CancellationToken cancellationToken = default)
    {
        var at = Now;
        return (await StoreAsync(at, async current =>
        {
            var withdrawal = await db.Withdrawals.FirstAsync(w => w.Id == withdrawalId, cancellationToken);
            var document = await db.Documents.FirstAsync(d => d.Id == withdrawal.DocumentId, cancellationToken);
            return withdrawal.Run(document, current, at);
        }, cancellationToken))?.Publication.Snapshot;
    }

    /// <summary>
    /// The overdue policy's flag (<see cref="OverduePolicy.Flag"/>): one snapshot, by the overdue policy, of the
    /// current snapshot's entries with every published document whose review has fallen due (and whose item does
    /// not say so yet) flagged <c>reviewOverdue</c>; nothing else changes. Null when nothing is to be flagged.
    /// </summary>
    public async Task<Snapshot?> FlagOverdueAsync(CancellationToken cancellationToken = default)
    {
        var at = Now;
        // Most rounds find nothing: asked before the publish's steps, so such a round writes nothing.
        if (!await ToFlag(at).AnyAsync(cancellationToken))
        {
            return null;
        }

        return (await StoreAsync(at, async current => OverduePolicy.Flag(current, await ToFlag(at).ToListAsync(cancellationToken), at), cancellationToken))
            ?.Publication.Snapshot;
    }

    /// <summary>The published documents whose feed item should say the review is overdue and does not yet.</summary>
    private IQueryable<OverdueDocument> ToFlag(DateTime at) => PublishedDue(at, unflagged: true, live: false);

    /// <summary>The published, live documents the overdue policy withdraws now (their grace period is over).</summary>
    public async Task<List<Guid>> OverdueWithdrawalsAsync(OverduePolicy policy, CancellationToken cancellationToken = default)
    {
        if (policy.Action != OverdueAction.Withdraw)
        {
            return [];
        }

        var at = Now;
        return (await PublishedDue(at.AddDays(-policy.GraceDays), unflagged: false, live: true).ToListAsync(cancellationToken))
            .OrderBy(d => d.ReviewDue).Select(d => d.DocumentId).ToList();
    }

    // Published documents whose published version's review was due at or before dueBy (only those whose item is
    // not flagged yet; only those not retired). Found through two indexes, not a pass over every document: a
    // document not pending publication publishes its latest approved version, whose date is ListedReviewDue.
    private IQueryable<OverdueDocument> PublishedDue(DateTime dueBy, bool unflagged, bool live) =>
        from d in db.Documents.AsNoTracking()
        where (d.ListedReviewDue <= dueBy || EF.Property<bool>(d, PortalDbContext.PublishPending))
            && d.PublishedVersionId != null && (!unflagged || !d.PublishedReviewOverdue) && (!live || d.RetiredAt == null)
        from v in db.Versions.AsNoTracking()
        where v.Id == d.PublishedVersionId && v.ReviewDue != null && v.ReviewDue <= dueBy
        select new OverdueDocument(d.Id, d.Kind, d.Slug, v.Title, v.ReviewDue!.Value);

    /// <summary>
    /// The overdue policy's withdrawal of one document whose grace period is over: a withdrawal set by the
    /// policy (reason "review overdue") and run at once as <see cref="RunWithdrawalAsync"/> runs one, in one
    /// transaction. Null when it no longer applies (a review or another round came first) or did not run.
    /// </summary>
    public async Task<Snapshot?> RunOverdueWithdrawalAsync(Guid documentId, OverduePolicy policy, CancellationToken cancellationToken = default)
    {
        var at = Now;
        return (await StoreAsync(at, async current =>
        {
            var document = await db.Documents.FirstAsync(d => d.Id == documentId, cancellationToken);
            var reviewDue = await db.Versions.Where(v => v.Id == document.PublishedVersionId).Select(v => v.ReviewDue).FirstOrDefaultAsync(cancellationToken);
            if (document.IsRetired || document.PublishedVersionId is null || !policy.Withdraws(reviewDue, at))
            {
                return null;
            }

            var open = await db.Withdrawals.FirstOrDefaultAsync(
                w => w.DocumentId == documentId && (w.Status == WithdrawalStatus.Pending || w.Status == WithdrawalStatus.Proposed), cancellationToken);
            var withdrawal = Withdrawal.ForOverdue(document, open, policy, reviewDue, at);
            db.Withdrawals.Add(withdrawal);
            return withdrawal.Run(document, current, at);
        }, cancellationToken))?.Publication.Snapshot;
    }

    /// <summary>
    /// The steps of a publish. Decides and renders before any write: what changed is rendered once
    /// (unchanged items reuse the bytes the current feed already holds, others their stored rendition) and
    /// the feed assembled and sealed. The write transaction then only inserts the new renditions, the
    /// manifest, the header, the outbox rows and the audit entry, and marks the changed documents published;
    /// it waits for no other lock while it holds SQLite's, so a login or a draft save during a publish waits
    /// milliseconds. <paramref name="decide"/> may save without publishing (a schedule that cannot run).
    /// </summary>
    private async Task<FeedRelease?> StoreAsync(DateTime at, Func<SnapshotContents?, Task<Publication?>> decide, CancellationToken cancellationToken)
    {
        var timing = PublishTiming.Start();
        var current = await plans.CurrentAsync(cancellationToken);
        var publication = await decide(current);
        timing.Planned();
        var release = publication is null ? null : await PrepareAsync(publication, at, timing, cancellationToken);
        timing.Sealed();

        // Joins the caller's transaction when there is one (the seed import publishes inside its own).
        var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await using var _ = ownTransaction;
        try
        {
            if (publication is not null)
            {
                await WriteAsync(publication, current, at, cancellationToken);
            }

            // The snapshot's audit line is chained here with the rest of the publish's changes.
            await db.SaveChangesAsync(cancellationToken);
            if (publication is not null)
            {
                await db.MarkPublishedAsync(publication.ChangedDocuments, cancellationToken);
                await FeedFollower.AnnounceAsync(db, feed, publication.Snapshot.Id, cancellationToken);
            }

            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
            }
        }
        catch (Exception exception) when (publication is not null && exception is DbUpdateException or System.Data.Common.DbException && !IsCrash(exception))
        {
            // The snapshot id is the primary key: a publish that raced another one lands here.
            throw new RefusedException($"Someone else published snapshot {publication.Snapshot.Id} a moment ago. Check what is pending and publish again.");
        }

        timing.Committed();
        if (release is not null)
        {
            if (ownTransaction is not null)
            {
                // Every publish anchors the audit chain (issues 11, 25): a signed checkpoint over its head.
                await anchor.WriteAsync(db, at, $"publish of snapshot {release.Publication.Snapshot.Id}", cancellationToken);
                feed.Show(release);
                outbox.Wake();
            }

            timing.Log(logger, release.Publication);
        }

        return release;
    }

    /// <summary>
    /// Anchors the snapshot to the audit chain's head, gathers its items (in the plan's feed order) and
    /// composes and seals the feed. Sealing records the publish in the snapshot's audit events.
    /// </summary>
    private async Task<FeedRelease> PrepareAsync(Publication publication, DateTime at, PublishTiming timing, CancellationToken cancellationToken)
    {
        var snapshot = publication.Snapshot;
        // The chain's newest committed entry, signed, goes into the header, so consumers hold copies of it (issues 11, 25).
        await anchor.AnchorAsync(db, snapshot, at, cancellationToken);
        var (parts, edited) = await items.ForAsync(snapshot.Id, publication.Entries, publication.Edit, at, cancellationToken);
        timing.Rendered();
        // A publish that edited the shown feed copies its unchanged runs of pieces and digests in blocks.
        var composed = edited is not null
            ? FeedBuilder.ComposeEdit(snapshot, edited, parts, publication.Edit!.FromBase)
            : FeedBuilder.Compose(snapshot, parts, inPlanOrder: true);
        // The validator is a digest of the items' digests: only the changed items are hashed.
        publication.Seal(composed.ComputeETag());
        return new FeedRelease(publication, composed);
    }

    /// <summary>
    /// The publish transaction's writes before its SaveChanges: under the cluster's publish lock, the
    /// snapshot must still follow the newest one; then the header and the manifest rows that differ, and the
    /// webhook notices. The stored header is attached (unchanged), so its audit line is saved as any aggregate's.
    /// </summary>
    private async Task WriteAsync(Publication publication, SnapshotContents? previous, DateTime at, CancellationToken cancellationToken)
    {
        var snapshot = publication.Snapshot;
        // Several instances: publishes take turns in the database, so the check below sees any
        // snapshot another instance committed and ids stay consecutive.
        await ClusterLocks.InTransactionAsync(db.Database, ClusterLocks.Publish, cancellationToken);
        // Planned against snapshot N: it must still be the newest, or someone else published meanwhile.
        var newest = await db.Snapshots.MaxAsync(s => (int?)s.Id, cancellationToken) ?? 0;
        if (newest != snapshot.Id - 1)
        {
            throw new DbUpdateException($"Snapshot {newest} was published while this one was prepared.");
        }

        // From the edit's pending documents when the plan edited exactly that manifest (a publish), else
        // from both whole manifests (a roll back).
        var (written, closed) = publication.Edit is { } edit && ReferenceEquals(edit.Base, previous?.Entries)
            ? edit.Rows()
            : ManifestChange.Between(previous?.Entries ?? [], publication.Entries);
        await db.InsertSnapshotAsync(snapshot, written, closed, cancellationToken);
        db.Snapshots.Attach(snapshot);
        await WebhookNotices.EnqueueAsync(db, snapshot, outbox.PublicBaseUrl, at, cancellationToken);
    }

    // The test harness's simulated crash (an IOException at commit) is not a race.
    private static bool IsCrash(Exception exception) => exception is IOException || exception.InnerException is IOException;
}
