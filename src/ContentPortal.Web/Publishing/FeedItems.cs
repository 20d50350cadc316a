using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Feed;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Publishing;

/// <summary>
/// The feed items of a snapshot being published. Unchanged documents reuse the served feed's items (no
/// database read, and their digests and deflate segments are kept); the rest come from their stored
/// renditions, or are rendered now and added for the publish transaction to store. A version that cannot
/// be rendered refuses the publish, naming the document.
/// </summary>
public sealed class FeedItems(PortalDbContext db, PublishedFeed feed)
{
    /// <summary>
    /// Each entry's item bytes, in the order of <paramref name="entries"/> (the plan's feed order), and the
    /// served feed's composed pieces when the plan was an edit of exactly that feed (its unchanged runs are
    /// then copied in blocks).
    /// </summary>
    public async Task<(IReadOnlyList<ItemBytes> Parts, ComposedFeed? Edited)> ForAsync(int snapshotId, IReadOnlyList<SnapshotEntry> entries, ManifestEdit? edit, DateTime at, CancellationToken cancellationToken)
    {
        if (feed.Current is not { } seen || seen.SnapshotId != snapshotId - 1)
        {
            // Another instance published, or nothing is shown yet: read the newest snapshot first.
            await feed.ReloadAsync(db, cancellationToken);
        }

        var shown = feed.Current;
        var parts = new ItemBytes[entries.Count];
        var missing = new List<int>();
        ComposedFeed? edited = null;
        if (shown is not null && edit is not null && ReferenceEquals(edit.Base, shown.Entries))
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
                else if (Reused(shown.Find(entries[i].Kind, entries[i].Slug), entries[i]) is { } item)
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
                if (shown is not null && shown.Items.TryGetValue(entries[i].DocumentId, out var current) && Reused(current, entries[i]) is { } item)
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
            await FromRenditionsAsync(entries, chunk, parts, at, cancellationToken);
        }

        return (parts, edited);
    }

    // The stored renditions of these entries, rendering (and adding) the ones not stored under their slug.
    private async Task FromRenditionsAsync(IReadOnlyList<SnapshotEntry> entries, int[] chunk, ItemBytes[] parts, DateTime at, CancellationToken cancellationToken)
    {
        // EF.Parameter: the ids go as one array parameter. EF 10 would otherwise expand 500 parameters, and that
        // expansion cost more CPU than the query (4 of the 14 s of a 3,000-document first publish, issue 28).
        var ids = chunk.Select(i => entries[i].VersionId).ToList();
        // Read untracked (a first publish after the seed import reads every item's bytes): the few rendered again are looked up tracked below.
        var stored = (await StoredRenditions(ids).ToListAsync(cancellationToken)).ToDictionary(r => r.Key);
        var toRender = chunk.Where(i => !stored.TryGetValue(KeyOf(entries[i]), out var r) || r.Slug != entries[i].Slug).ToList();
        var renderIds = toRender.Select(i => entries[i].VersionId).ToList();
        // Asked even when nothing is to be rendered (an empty array answers at once): the seed import's publish, which
        // finds every item stored, then compiles these queries, and the first ordinary publish does not pay for it
        // (about 0.3 s, issue 28).
        var versions = await VersionsToRender(renderIds).ToDictionaryAsync(v => v.Id, cancellationToken);
        var documentIds = versions.Values.Select(v => v.DocumentId).Distinct().ToList();
        var checkedEarlier = await CheckedEarlier(documentIds, renderIds).ToListAsync(cancellationToken);
        var byDocument = versions.Values.Concat(checkedEarlier).ToLookup(v => v.DocumentId);
        // Rendering is pure CPU work on read-only versions: a large publish (the first one of a big seed) spreads it
        // over the cores; one item renders on the calling thread.
        var rendered = new byte[toRender.Count][];
        try
        {
            Parallel.For(0, toRender.Count, new ParallelOptions { CancellationToken = cancellationToken }, k =>
            {
                var entry = entries[toRender[k]];
                rendered[k] = Render(entry, versions[entry.VersionId], byDocument[entry.DocumentId]);
            });
        }
        catch (AggregateException failed) when (failed.InnerExceptions.OfType<RefusedException>().FirstOrDefault() is { } refused)
        {
            // The refusal itself, naming the document (not a 500 wrapped around it).
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(refused).Throw();
        }

        for (var k = 0; k < toRender.Count; k++)
        {
            var entry = entries[toRender[k]];
            if (stored.ContainsKey(KeyOf(entry)))
            {
                // Rendered under a slug changed since (never published with it): no snapshot serves it.
                var stale = await db.Renditions.FindAsync([entry.VersionId, entry.PeriodicReviews, entry.ReviewOverdue], cancellationToken);
                stale!.Rerender(entry.Slug, rendered[k], at);
            }
            else
            {
                db.Renditions.Add(new Rendition(entry.VersionId, entry.DocumentId, entry.Slug, rendered[k], at, entry.PeriodicReviews, entry.ReviewOverdue));
            }

            parts[toRender[k]] = new ItemBytes(entry, rendered[k]);
        }

        // The rest of the chunk is served from its stored renditions (this chunk's parts are all still empty here).
        foreach (var i in chunk)
        {
            parts[i] ??= new ItemBytes(entries[i], stored[KeyOf(entries[i])].Json);
        }
    }

    private IQueryable<Rendition> StoredRenditions(List<Guid> versionIds) =>
        db.Renditions.AsNoTracking().Where(r => EF.Parameter(versionIds).Contains(r.VersionId));

    private IQueryable<DocumentVersion> VersionsToRender(List<Guid> versionIds) =>
        db.Versions.AsNoTracking().Where(v => EF.Parameter(versionIds).Contains(v.Id));

    // A reference's last evidence check may be on an earlier version of the same document.
    private IQueryable<DocumentVersion> CheckedEarlier(List<Guid> documentIds, List<Guid> renderIds) =>
        db.Versions.AsNoTracking().Where(v => EF.Parameter(documentIds).Contains(v.DocumentId) && !EF.Parameter(renderIds).Contains(v.Id) && v.EvidenceChecks.Any());

    /// <summary>
    /// Runs this class's queries for the served feed's first item and renders it, keeping nothing: after a restart
    /// the first publish would otherwise compile these queries and load the rendering code while the publisher
    /// waits (about 0.3 s at 100,000 documents, issue 28). Called once at start-up, in the background. False when
    /// there was nothing to render (no feed yet).
    /// </summary>
    public async Task<bool> WarmUpAsync(CancellationToken cancellationToken)
    {
        if (feed.Current is not { InFeedOrder: [var first, ..] })
        {
            return false;
        }

        var entry = first.Entry;
        List<Guid> ids = [entry.VersionId];
        _ = await StoredRenditions(ids).ToListAsync(cancellationToken);
        var versions = await VersionsToRender(ids).ToListAsync(cancellationToken);
        var earlier = await CheckedEarlier([entry.DocumentId], ids).ToListAsync(cancellationToken);
        if (versions is not [var version])
        {
            return false;
        }

        _ = Render(entry, version, earlier.Append(version));
        return true;
    }

    private static (Guid, int, bool) KeyOf(SnapshotEntry entry) => Rendition.KeyOf(entry);

    private static byte[] Render(SnapshotEntry entry, DocumentVersion version, IEnumerable<DocumentVersion> documentVersions)
    {
        try
        {
            return FeedBuilder.RenderItem(entry.DocumentId, entry.Slug, version, documentVersions, entry.ReviewOverdue);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new RefusedException($"Version {entry.VersionNumber} of \u201c{entry.Title}\u201d ({entry.Slug}) could not be prepared for the feed ({exception.Message}); nothing was published.");
        }
    }

    // The same item (its digest and deflate segment kept) unless the entry's words differ; null when the
    // item is another document's or version's.
    private static ItemBytes? Reused(ItemBytes? item, SnapshotEntry entry) =>
        item is null || item.Entry.DocumentId != entry.DocumentId || item.VersionId != entry.VersionId || item.Slug != entry.Slug
            || item.Entry.PeriodicReviews != entry.PeriodicReviews || item.Entry.ReviewOverdue != entry.ReviewOverdue ? null
        : ReferenceEquals(item.Entry, entry) || item.Entry.SameAs(entry) ? item
        : new ItemBytes(entry, item.Json);
}
