using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using ContentPortal.Web.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Feed;

/// <summary>
/// Publishing, for the Publish pages, the scheduler and the seed import: plan, build the feed bytes,
/// store the snapshot and its webhook outbox rows in one transaction; only after the commit do readers
/// see it (a caller that brings its own transaction shows the snapshot after committing it).
/// Each action reads the clock once, so everything one publish writes carries one time.
/// </summary>
public sealed class Publisher(PortalDbContext db, PublishedFeed feed, WebhookOutbox outbox, TimeProvider clock, ContentPortal.Web.Auditing.AuditAnchor anchor, ILogger<Publisher> logger)
{
    // Whole microseconds, as every stored time (the snapshot header is inserted as plain SQL, past EF's converter).
    private DateTime Now => WholeMicroseconds(clock.GetUtcNow().UtcDateTime);

    private static DateTime WholeMicroseconds(DateTime utc) => new(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);

    /// <summary>What publishing now would change: from the documents' listing columns, never whole documents.</summary>
    public async Task<SnapshotPlan> PlanAsync(CancellationToken cancellationToken = default)
    {
        var current = await CurrentAsync(cancellationToken);
        return SnapshotPlan.For(current, await PendingEntriesAsync(cancellationToken));
    }

    /// <summary>
    /// What the Publish page shows: the changes only, the documents whose <see cref="PortalDbContext.PublishPending"/>
    /// column holds (an index of just those rows), without reading the current manifest or every document.
    /// </summary>
    public async Task<PublishPreview> PreviewAsync(CancellationToken cancellationToken = default)
    {
        var current = await db.CurrentSnapshot().Select(s => new { s.Id, s.DocumentCount }).FirstOrDefaultAsync(cancellationToken);
        var pending = await PendingAsync(cancellationToken);
        // The current manifest's size plus what is added, minus what leaves (published means in the newest
        // manifest, which the publish transaction keeps true): no count over every document.
        var count = (current?.DocumentCount ?? 0)
            + pending.Count(p => p.Next is not null && p.Published is null)
            - pending.Count(p => p.Next is null);
        var changes = pending.Where(p => p.Next is not null)
            .OrderBy(p => p.Next!, SnapshotPlan.FeedOrder)
            .Select(p => p.Published is { } published
                ? new PlannedChange(EntryChange.Changed, p.Next!, published.VersionNumber)
                : new PlannedChange(EntryChange.Added, p.Next!, null))
            // Not live but pending means published: it leaves the feed.
            .Concat(pending.Where(p => p.Next is null).OrderBy(p => p.Published!.Slug, StringComparer.Ordinal)
                .Select(p => new PlannedChange(EntryChange.Removed, p.Published!, p.Published!.VersionNumber)))
            .ToList();
        return new PublishPreview((current?.Id ?? 0) + 1, count, changes);
    }

    /// <summary>
    /// The documents publishing would change (<see cref="PortalDbContext.PublishPending"/>, an index of just
    /// those), for the plan to edit the current manifest with: each one's latest approved version as its next
    /// entry when it is live, none when it leaves. A document not pending is live, approved and published at
    /// its latest approved version, or neither live-approved nor published, so its entry is already right.
    /// The publish transaction keeps <c>PublishedVersionId</c> equal to the newest manifest.
    /// </summary>
    private async Task<IReadOnlyCollection<PendingEntry>> PendingEntriesAsync(CancellationToken cancellationToken) =>
        (await PendingAsync(cancellationToken)).Select(p => new PendingEntry(p.Id, p.Kind, p.Slug, p.Next, p.Published is not null)).ToList();

    /// <summary>A document publishing would change: the entry it would have (null: it leaves the feed) and the one it has now (null: new).</summary>
    private sealed record PendingDocument(Guid Id, DocumentKind Kind, string Slug, SnapshotEntry? Next, SnapshotEntry? Published);

    /// <summary>
    /// The documents whose <see cref="PortalDbContext.PublishPending"/> holds (read through its index), with
    /// the number and title of the versions involved, read in chunks so a large first publish stays within
    /// the databases' parameter limits.
    /// </summary>
    private async Task<List<PendingDocument>> PendingAsync(CancellationToken cancellationToken)
    {
        var rows = await db.Documents.AsNoTracking()
            .Where(d => EF.Property<bool>(d, PortalDbContext.PublishPending))
            .Select(d => new { d.Id, d.Kind, d.Slug, Live = d.RetiredAt == null && d.LatestApprovedId != null, d.LatestApprovedId, d.PublishedVersionId })
            .ToListAsync(cancellationToken);
        var ids = rows.SelectMany(r => new[] { r.Live ? r.LatestApprovedId : null, r.PublishedVersionId }).OfType<Guid>().Distinct().ToList();
        var versions = new Dictionary<Guid, (int Number, string Title)>();
        foreach (var chunk in ids.Chunk(500))
        {
            foreach (var v in await db.Versions.AsNoTracking().Where(v => chunk.Contains(v.Id)).Select(v => new { v.Id, v.Number, v.Title }).ToListAsync(cancellationToken))
            {
                versions[v.Id] = (v.Number, v.Title);
            }
        }

        return rows.Select(r =>
        {
            SnapshotEntry? EntryOf(Guid? versionId) => versionId is { } id
                ? new SnapshotEntry(r.Id, id, versions[id].Number, r.Kind, r.Slug, versions[id].Title)
                : null;
            return new PendingDocument(r.Id, r.Kind, r.Slug, r.Live ? EntryOf(r.LatestApprovedId) : null, EntryOf(r.PublishedVersionId));
        }).ToList();
    }

    /// <summary>What republishing <paramref name="earlierId"/> would change (null when there is no such snapshot).</summary>
    public async Task<SnapshotPlan?> RepublishPlanAsync(int earlierId, CancellationToken cancellationToken = default)
    {
        var current = await CurrentAsync(cancellationToken);
        var earlier = await ContentsAsync(earlierId, cancellationToken);
        if (current is null || earlier is null)
        {
            return null;
        }

        var retired = await db.Documents.Where(d => d.RetiredAt != null).Select(d => d.Id).ToListAsync(cancellationToken);
        return SnapshotPlan.Republish(current, earlier, retired.ToHashSet());
    }

    public Task<Snapshot> PublishAsync(Actor by, string? note, CancellationToken cancellationToken = default) =>
        PublishAsync(by, note, Now, cancellationToken);

    /// <summary>
    /// Publish now, as the Publish page shows it: refused unless what would be published is still what the
    /// publisher was shown (<see cref="PublishPreview.Fingerprint"/> posted back).
    /// </summary>
    public Task<Snapshot> PublishShownAsync(Actor by, string? note, string? shownPlan, CancellationToken cancellationToken = default) =>
        PublishAtAsync(by, note, Now, plan => plan.RefuseUnlessShown(shownPlan), cancellationToken);

    /// <summary>Publish at a given time: the seed import publishes at the moment it imported.</summary>
    internal Task<Snapshot> PublishAsync(Actor by, string? note, DateTime at, CancellationToken cancellationToken = default) =>
        PublishAtAsync(by, note, WholeMicroseconds(at), _ => { }, cancellationToken);

    private Task<Snapshot> PublishAtAsync(Actor by, string? note, DateTime at, Action<SnapshotPlan> check, CancellationToken cancellationToken) =>
        StoreAsync(at, async current =>
        {
            var plan = SnapshotPlan.For(current, await PendingEntriesAsync(cancellationToken));
            var snapshot = Snapshot.Publish(plan, by, at, note);
            check(plan);
            return snapshot;
        }, cancellationToken)!;

    /// <summary>Roll back: a new snapshot (next id) with the content of an earlier one.</summary>
    public Task<Snapshot> RepublishAsync(int earlierId, Actor by, string? note, CancellationToken cancellationToken = default)
    {
        var at = Now;
        return StoreAsync(at, async current =>
        {
            var earlier = await ContentsAsync(earlierId, cancellationToken)
                ?? throw new RefusedException($"There is no snapshot {earlierId}.");
            var retired = await db.Documents.Where(d => d.RetiredAt != null).Select(d => d.Id).ToListAsync(cancellationToken);
            var plan = SnapshotPlan.Republish(current!, earlier, retired.ToHashSet());
            return Snapshot.Publish(plan, by, at, note);
        }, cancellationToken)!;
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
    public Task<Snapshot?> RunScheduleAsync(Guid scheduleId, CancellationToken cancellationToken = default)
    {
        var at = Now;
        return StoreAsync(at, async current =>
        {
            var schedule = await db.ScheduledPublishes.FirstAsync(s => s.Id == scheduleId, cancellationToken);
            return schedule.Run(SnapshotPlan.For(current, await PendingEntriesAsync(cancellationToken)), at);
        }, cancellationToken);
    }

    /// <summary>
    /// Decides and renders before any write: what changed is rendered once (unchanged items reuse the
    /// bytes the current feed already holds, others their stored rendition) and the feed assembled and
    /// sealed. The write transaction then only inserts the new renditions, the manifest, the header, the
    /// outbox rows and the audit entry, and marks the changed documents published; it waits for no other
    /// lock while it holds SQLite's, so a login or a draft save during a publish waits milliseconds.
    /// </summary>
    private async Task<Snapshot?> StoreAsync(DateTime at, Func<SnapshotContents?, Task<Snapshot?>> decide, CancellationToken cancellationToken)
    {
        var clockwork = System.Diagnostics.Stopwatch.StartNew();
        var paused = GC.GetTotalPauseDuration();
        var current = await CurrentAsync(cancellationToken);
        var snapshot = await decide(current);
        var planned = clockwork.ElapsedMilliseconds;
        ComposedFeed? composed = null;
        long rendered = 0;
        if (snapshot is not null)
        {
            // The chain's newest committed entry goes into the header, so consumers hold copies of it (issue 11).
            var head = await db.AuditTrail.AsNoTracking().OrderByDescending(e => e.Sequence)
                .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(cancellationToken);
            snapshot.AnchorTo(head?.Sequence ?? 0, head?.Hash ?? AuditEntry.GenesisHash);
            var (parts, edited) = await PartsAsync(snapshot, at, cancellationToken);
            rendered = clockwork.ElapsedMilliseconds;
            // PartsAsync keeps the order of the snapshot's entries, which the plan put in feed order. A publish
            // that edited the shown feed copies its unchanged runs of pieces and digests in blocks.
            composed = edited is not null
                ? FeedBuilder.ComposeEdit(snapshot, edited, parts, snapshot.Edit!.FromBase)
                : FeedBuilder.Compose(snapshot, parts, inPlanOrder: true);
            // Sealing records the publish in the audit trail (the snapshot's own event), saved with it below.
            // The validator is a digest of the items' digests: only the changed items are hashed.
            snapshot.Seal(composed.ComputeETag());
        }

        var sealedAt = clockwork.ElapsedMilliseconds;

        // Joins the caller's transaction when there is one (the seed import publishes inside its own).
        var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await using var _ = ownTransaction;
        try
        {
            if (snapshot is not null)
            {
                // Several instances: publishes take turns in the database, so the check below sees any
                // snapshot another instance committed and ids stay consecutive.
                await ClusterLocks.InTransactionAsync(db.Database, ClusterLocks.Publish, cancellationToken);
                // Planned against snapshot N: it must still be the newest, or someone else published meanwhile.
                var newest = await db.Snapshots.MaxAsync(s => (int?)s.Id, cancellationToken) ?? 0;
                if (newest != snapshot.Id - 1)
                {
                    throw new DbUpdateException($"Snapshot {newest} was published while this one was prepared.");
                }

                await InsertAsync(snapshot, current, cancellationToken);
                await outbox.EnqueueAsync(db, snapshot, at, cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
            if (snapshot is not null)
            {
                await MarkPublishedAsync(snapshot, cancellationToken);
            }

            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
            }
        }
        catch (Exception exception) when (snapshot is not null && exception is DbUpdateException or System.Data.Common.DbException && !IsCrash(exception))
        {
            // The snapshot id is the primary key: a publish that raced another one lands here.
            throw new RefusedException($"Someone else published snapshot {snapshot.Id} a moment ago. Check what is pending and publish again.");
        }

        var committed = clockwork.ElapsedMilliseconds;
        if (snapshot is not null)
        {
            feed.Prepare(snapshot, composed!);
            if (ownTransaction is not null)
            {
                // Every publish anchors the audit chain (issue 11): a keyed checkpoint over its head.
                await anchor.WriteAsync(db, at, $"publish of snapshot {snapshot.Id}", cancellationToken);
                feed.Show(snapshot);
                outbox.Wake();
            }

            // bench/scale.sh reads this line: where a publish spends its time.
            logger.LogInformation(
                "Published snapshot {Id}: {Documents} documents, {Changed} changed; plan {Plan} ms, items {Items} ms, compose+seal {Seal} ms, write transaction {Write} ms, swap {Swap} ms; the process was paused for garbage collection {Paused} ms of it.",
                snapshot.Id, snapshot.Entries.Count, snapshot.ChangedDocuments.Count, planned, rendered - planned, sealedAt - rendered, committed - sealedAt, clockwork.ElapsedMilliseconds - committed,
                (long)(GC.GetTotalPauseDuration() - paused).TotalMilliseconds);
        }

        return snapshot;
    }

    /// <summary>
    /// Each entry's item bytes. Unchanged documents reuse the current feed's items (no database read, and
    /// their digests and deflate segments are kept); the rest come from their stored renditions, or are
    /// rendered now and added for the transaction to store. A version that cannot be rendered refuses the
    /// publish, naming the document.
    /// </summary>
    private async Task<(IReadOnlyList<ItemBytes> Parts, ComposedFeed? Edited)> PartsAsync(Snapshot snapshot, DateTime at, CancellationToken cancellationToken)
    {
        if (feed.Current is not { } seen || seen.SnapshotId != snapshot.Id - 1)
        {
            // Another instance published, or nothing is shown yet: read the newest snapshot first.
            await feed.ReloadAsync(db, cancellationToken);
        }

        var shown = feed.Current;
        var parts = new ItemBytes[snapshot.Entries.Count];
        var missing = new List<int>();
        ComposedFeed? edited = null;
        if (shown is not null && snapshot.Edit is { } edit && ReferenceEquals(edit.Base, shown.Entries))
        {
            // The shown feed's pieces are these very items (a feed stored whole by an older portal has none).
            edited = shown.Feed.Composed is { } pieces && ReferenceEquals(pieces.Items, shown.InFeedOrder) ? pieces : null;
            // Planned as an edit of the shown manifest: every entry it kept is the shown item at that position.
            for (var i = 0; i < parts.Length; i++)
            {
                if (edit.FromBase[i] is var position and >= 0)
                {
                    parts[i] = shown.InFeedOrder[position];
                }
                else if (Reused(shown.Find(snapshot.Entries[i].Kind, snapshot.Entries[i].Slug), snapshot.Entries[i]) is { } item)
                {
                    parts[i] = item;
                }
                else
                {
                    missing.Add(i);
                }
            }
        }
        else
        {
            for (var i = 0; i < parts.Length; i++)
            {
                var entry = snapshot.Entries[i];
                if (shown is not null && shown.Items.TryGetValue(entry.DocumentId, out var current) && Reused(current, entry) is { } item)
                {
                    parts[i] = item;
                }
                else
                {
                    missing.Add(i);
                }
            }
        }

        foreach (var chunk in missing.Chunk(500))
        {
            var ids = chunk.Select(i => snapshot.Entries[i].VersionId).ToList();
            var stored = await db.Renditions.Where(r => ids.Contains(r.VersionId)).ToDictionaryAsync(r => r.VersionId, cancellationToken);
            var toRender = chunk.Where(i => !stored.TryGetValue(snapshot.Entries[i].VersionId, out var r) || r.Slug != snapshot.Entries[i].Slug).ToList();
            var renderIds = toRender.Select(i => snapshot.Entries[i].VersionId).ToList();
            var versions = renderIds.Count == 0
                ? []
                : await db.Versions.AsNoTracking().Where(v => renderIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, cancellationToken);
            // A reference's last evidence check may be on an earlier version of the same document.
            var documentIds = versions.Values.Select(v => v.DocumentId).Distinct().ToList();
            var checkedEarlier = documentIds.Count == 0
                ? []
                : await db.Versions.AsNoTracking()
                    .Where(v => documentIds.Contains(v.DocumentId) && !renderIds.Contains(v.Id) && v.EvidenceChecks.Any())
                    .ToListAsync(cancellationToken);
            var byDocument = versions.Values.Concat(checkedEarlier).ToLookup(v => v.DocumentId);
            foreach (var i in chunk)
            {
                var entry = snapshot.Entries[i];
                if (!toRender.Contains(i))
                {
                    parts[i] = new ItemBytes(entry, stored[entry.VersionId].Json);
                    continue;
                }

                var json = Render(entry, versions[entry.VersionId], byDocument[entry.DocumentId]);
                if (stored.TryGetValue(entry.VersionId, out var stale))
                {
                    // Rendered under a slug changed since (never published with it): no snapshot serves it.
                    stale.Rerender(entry.Slug, json, at);
                }
                else
                {
                    db.Renditions.Add(new Rendition(entry.VersionId, entry.DocumentId, entry.Slug, json, at));
                }

                parts[i] = new ItemBytes(entry, json);
            }
        }

        return (parts, edited);
    }

    private static byte[] Render(SnapshotEntry entry, DocumentVersion version, IEnumerable<DocumentVersion> documentVersions)
    {
        try
        {
            return FeedBuilder.RenderItem(entry.DocumentId, entry.Slug, version, documentVersions);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new RefusedException($"Version {entry.VersionNumber} of \u201c{entry.Title}\u201d ({entry.Slug}) could not be prepared for the feed ({exception.Message}); nothing was published.");
        }
    }

    /// <summary>
    /// Inserts the snapshot header and its manifest as plain SQL: at 10,000 entries, EF's change tracking
    /// of the owned rows cost more than everything else in the publish. A manifest row lasts from the
    /// snapshot that wrote it until one that changes or removes its document, so only the differing
    /// entries are written and the rows they replace are closed (<see cref="PortalDbContext.UntilSnapshot"/>):
    /// the statements and the rows touched grow with the change, not with the corpus or the history. The
    /// snapshot's audit line goes through <see cref="PortalDbContext.Record"/>, chained in the SaveChanges that follows.
    /// </summary>
    private async Task InsertAsync(Snapshot snapshot, SnapshotContents? previous, CancellationToken cancellationToken)
    {
        foreach (var record in snapshot.AuditEvents)
        {
            db.Record(record);
        }

        snapshot.ClearAuditEvents();
        // Only values are parameters; the statement's text is fixed (NULL spelled out, as a null parameter has no type).
        var header = snapshot.RepublishedFromId is null
            ? """INSERT INTO "Snapshots" ("Id", "PublishedAt", "PublishedById", "PublishedByName", "Note", "ETag", "DocumentCount", "AuditHeadSequence", "AuditHeadHash", "RepublishedFromId") VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, NULL)"""
            : """INSERT INTO "Snapshots" ("Id", "PublishedAt", "PublishedById", "PublishedByName", "Note", "ETag", "DocumentCount", "AuditHeadSequence", "AuditHeadHash", "RepublishedFromId") VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9})""";
        var values = new object[] { snapshot.Id, snapshot.PublishedAt, snapshot.PublishedById, snapshot.PublishedByName, snapshot.Note, snapshot.ETag, snapshot.DocumentCount, snapshot.AuditHeadSequence!.Value, snapshot.AuditHeadHash!, snapshot.RepublishedFromId ?? 0 };
        await db.Database.ExecuteSqlRawAsync(header, values.Take(snapshot.RepublishedFromId is null ? 9 : 10), cancellationToken);

        // The previous snapshot is still the newest (checked under the publish lock), so its open rows are what was planned against.
        // From the edit's pending documents when the plan edited exactly that manifest (a publish), else
        // from both whole manifests (a roll back).
        var (written, closed) = snapshot.Edit is { } edit && ReferenceEquals(edit.Base, previous?.Entries)
            ? edit.Rows()
            : ManifestChange.Between(previous?.Entries ?? [], snapshot.Entries);
        foreach (var chunk in closed.Chunk(500))
        {
            var close = new System.Text.StringBuilder("""UPDATE "SnapshotEntries" SET "UntilSnapshotId" = {0} WHERE "UntilSnapshotId" IS NULL AND "DocumentId" IN (""")
                .AppendJoin(", ", chunk.Select((_, i) => $"{{{i + 1}}}")).Append(')');
            await db.Database.ExecuteSqlRawAsync(close.ToString(), chunk.Select(db.StoredKey).Prepend(snapshot.Id), cancellationToken);
        }

        await db.InsertManifestRowsAsync(written.Select(entry => new ManifestRow(snapshot.Id, entry, null)), cancellationToken);
    }

    // The test harness's simulated crash (an IOException at commit) is not a race.
    private static bool IsCrash(Exception exception) => exception is IOException || exception.InnerException is IOException;

    // The same item (its digest and deflate segment kept) unless the entry's words differ; null when the
    // item is another document's or version's.
    private static ItemBytes? Reused(ItemBytes? item, SnapshotEntry entry) =>
        item is null || item.Entry.DocumentId != entry.DocumentId || item.VersionId != entry.VersionId || item.Slug != entry.Slug ? null
        : ReferenceEquals(item.Entry, entry) || item.Entry.SameAs(entry) ? item
        : new ItemBytes(entry, item.Json);

    /// <summary>The changed documents' published version, in the publish transaction (unchanged ones keep theirs).</summary>
    private async Task MarkPublishedAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        foreach (var chunk in snapshot.ChangedDocuments.Chunk(500))
        {
            // A removed document has no entry: its published version becomes null.
            await db.Documents.Where(d => chunk.Contains(d.Id)).ExecuteUpdateAsync(set => set.SetProperty(
                d => d.PublishedVersionId,
                d => db.CurrentManifest().Where(e => e.DocumentId == d.Id).Select(e => (Guid?)e.VersionId).FirstOrDefault()),
                cancellationToken);
        }
    }

    /// <summary>
    /// The newest snapshot's manifest: from the feed this process serves when that is the newest (no read
    /// of 10,000 rows), else from the database (another instance published, or nothing is shown yet).
    /// </summary>
    private async Task<SnapshotContents?> CurrentAsync(CancellationToken cancellationToken)
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
}

/// <summary>What the next publish would change (the Publish page), without the full list of entries.</summary>
public sealed record PublishPreview(int NextId, int DocumentCount, IReadOnlyList<PlannedChange> Changes)
{
    public bool HasChanges => Changes.Count > 0;

    /// <summary>Posted back by Publish now; the publish is refused if its plan no longer matches.</summary>
    public string Fingerprint => SnapshotPlan.FingerprintOf(Changes);
}
