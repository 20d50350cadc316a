using System.Text.Json;
using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Publishing;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Feed;

/// <summary>
/// The current snapshot as ready-made responses: the whole feed (its items' pieces, never joined), each
/// item on its own (the same bytes, not a copy), and what its entries hold (for /changes). <see cref="Derived"/> caches
/// responses computed from it (changes since N, snapshot list pages), bounded by bytes, and dies with it.
/// </summary>
public sealed class CurrentFeed
{
    /// <summary>Derived answers of one current snapshot may hold at most this much.</summary>
    public const long DerivedBudgetBytes = 64L * 1024 * 1024;

    public required int SnapshotId { get; init; }

    public required DateTime PublishedAt { get; init; }

    public required FeedBytes Feed { get; init; }

    /// <summary>The items in the feed's order (articles, then red-flag lists, each by slug).</summary>
    public required IReadOnlyList<ItemBytes> InFeedOrder { get; init; }

    /// <summary>
    /// The manifest, entry i being item i's: what the next publish edits, so that it can reuse these items
    /// by position (<see cref="ManifestEdit.FromBase"/>).
    /// </summary>
    public required FeedOrderedManifest Entries { get; init; }

    private Dictionary<Guid, ItemBytes>? byDocument;

    /// <summary>
    /// Document id → its entry in this snapshot's manifest and the item's JSON: built on first use (a few
    /// endpoints and a publish planned against another snapshot), not at every publish.
    /// </summary>
    public IReadOnlyDictionary<Guid, ItemBytes> Items => LazyInitializer.EnsureInitialized(ref byDocument, () => InFeedOrder.ToDictionary(i => i.Entry.DocumentId));

    public BoundedCache<string> Derived { get; } = new(DerivedBudgetBytes);

    // Each item's response, made on its first request (at most one per item of this snapshot), not for all
    // 10,000 items at every publish.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, FeedBytes> responses = new();

    /// <summary>
    /// The item of <paramref name="kind"/> at <paramref name="slug"/>, or null: a binary search of the feed's
    /// order, so a publish builds no index of every slug.
    /// </summary>
    public ItemBytes? Find(DocumentKind kind, string slug)
    {
        int low = 0, high = InFeedOrder.Count - 1;
        while (low <= high)
        {
            var middle = low + (high - low) / 2;
            var entry = InFeedOrder[middle].Entry;
            var order = entry.Kind != kind ? entry.Kind.CompareTo(kind) : string.CompareOrdinal(entry.Slug, slug);
            if (order == 0)
            {
                return InFeedOrder[middle];
            }

            (low, high) = order < 0 ? (middle + 1, high) : (low, middle - 1);
        }

        return null;
    }

    /// <summary>One item's JSON response (the item's bytes, not a copy), dated by this snapshot.</summary>
    public FeedBytes Response(ItemBytes item) => responses.GetOrAdd(item.Entry.DocumentId, _ => new FeedBytes(item.Json, PublishedAt));
}

/// <summary>
/// Holds the current feed in memory and swaps it in one reference assignment after a publish
/// commits, so a request sees the old snapshot or the new one, never a mix, and never touches the
/// database. One instance per process: a multi-instance deployment must call Reload (docs/operations.md).
/// Past snapshots are assembled from their manifest and the stored renditions on request and kept in a
/// small cache bounded by bytes.
/// </summary>
public sealed class PublishedFeed
{
    /// <summary>Past snapshots' responses kept in memory at most (least recently used go first).</summary>
    public const long SnapshotBudgetBytes = 128L * 1024 * 1024;

    private readonly BoundedCache<int> snapshots = new(SnapshotBudgetBytes);

    private CurrentFeed? _current;

    public CurrentFeed? Current => Volatile.Read(ref _current);

    private int publishedHere;

    /// <summary>
    /// The newest snapshot this process's publisher announced in its transaction (several instances): it
    /// shows it itself right after the commit, so the announcement coming back need not load it again.
    /// </summary>
    public int PublishedHere => Volatile.Read(ref publishedHere);

    internal void NoteAnnounced(int snapshotId)
    {
        int seen;
        do
        {
            seen = Volatile.Read(ref publishedHere);
        }
        while (snapshotId > seen && Interlocked.CompareExchange(ref publishedHere, snapshotId, seen) != seen);
    }

    public BoundedCache<int> PastSnapshots => snapshots;

    /// <summary>Pages of /snapshots/{id}/items: immutable and cheap to rebuild, so a bounded cache (32 MB).</summary>
    public BoundedCache<string> ItemPages { get; } = new(32L * 1024 * 1024);

    /// <summary>
    /// The one hand-over from publishing: shows a snapshot its publisher composed, once the publish
    /// transaction committed (the seed import commits its own transaction first). An older one is ignored.
    /// </summary>
    public void Show(FeedRelease release)
    {
        var snapshot = release.Publication.Snapshot;
        if (Current is { } seen && seen.SnapshotId >= snapshot.Id)
        {
            return;
        }

        Swap(FromComposed(snapshot.Id, snapshot.PublishedAt, snapshot.ETag, release.Composed, release.Publication.Entries));
    }

    private void Swap(CurrentFeed next)
    {
        // Never step back to an older snapshot if two publishes finish out of order.
        CurrentFeed? before;
        do
        {
            before = Volatile.Read(ref _current);
            if (before is not null && before.SnapshotId >= next.SnapshotId)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _current, next, before) != before);

        // Compressed forms are made off the request that published (a 10,000-document feed takes seconds);
        // a client asking before then waits for the one computation in progress. A feed superseded before
        // its turn is not compressed: publishes faster than compression would otherwise hold every one.
        // What the replaced feed alone held (its item list, manifest and pieces: about ten megabytes at 100,000
        // documents) is now garbage in the oldest generation, which the collector visits rarely when the live heap
        // is a gigabyte: RSS climbed publish after publish until it did (issue 28, docs/bench.md). One background
        // collection per publish frees it without pausing requests. Only the decision is captured below, not
        // the replaced feed, which would otherwise stay reachable through this closure during that collection.
        var collect = before is not null && before.Feed.Length >= CollectAfterReplacingBytes;
        _ = Task.Run(() =>
        {
            next.Feed.Composed?.PrepareDigests();
            next.Feed.Precompress(() => ReferenceEquals(Volatile.Read(ref _current), next));
            if (collect)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: false);
            }
        });
    }

    /// <summary>
    /// Replacing a feed at least this large asks for a background full collection: a few thousand documents.
    /// Below it the heap is small and the ordinary collections take the garbage soon enough.
    /// </summary>
    public const long CollectAfterReplacingBytes = 4L * 1024 * 1024;

    /// <summary>
    /// Shows the newest stored snapshot (at start-up, or when another instance published). A snapshot
    /// stored whole by an earlier version of the portal is cut into items, which are stored as the
    /// renditions of their versions (the upgrade's data step), so the next publish reuses them.
    /// </summary>
    public async Task ReloadAsync(PortalDbContext db, CancellationToken cancellationToken = default)
    {
        var latest = await db.Snapshots.AsNoTracking().OrderByDescending(s => s.Id)
            .Select(s => new { s.Id, s.PublishedAt, s.ETag, Legacy = EF.Property<byte[]?>(s, PortalDbContext.LegacyFeedJson) })
            .FirstOrDefaultAsync(cancellationToken);
        if (latest is null || Current?.SnapshotId >= latest.Id)
        {
            return;
        }

        if (latest.Legacy is { Length: > 0 } legacy)
        {
            var current = FromBytes(latest.Id, latest.PublishedAt, latest.ETag, legacy, await EntriesAsync(db, latest.Id, cancellationToken));
            await StoreRenditionsAsync(db, current, latest.PublishedAt, cancellationToken);
            Swap(current);
            return;
        }

        // Another instance's publish changed a few items: the rest are the served feed's, bytes and digests.
        var composed = FeedBuilder.Compose(await HeaderAsync(db, latest.Id, cancellationToken), await PartsAsync(db, latest.Id, cancellationToken, Current));
        Swap(FromComposed(latest.Id, latest.PublishedAt, latest.ETag, composed));
    }

    /// <summary>A published snapshot's exact bytes, or null when there is no such snapshot.</summary>
    public async Task<FeedBytes?> SnapshotAsync(int id, PortalDbContext db, CancellationToken cancellationToken)
    {
        if (Current is { } current && current.SnapshotId == id)
        {
            return current.Feed;
        }

        if (snapshots.TryGet(id, out var cached))
        {
            return cached;
        }

        var row = await db.Snapshots.AsNoTracking().Where(s => s.Id == id)
            .Select(s => new { s.PublishedAt, s.ETag, Legacy = EF.Property<byte[]?>(s, PortalDbContext.LegacyFeedJson) })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var json = row.Legacy is { Length: > 0 } legacy
            ? legacy
            : FeedBuilder.Compose(await HeaderAsync(db, id, cancellationToken), await PartsAsync(db, id, cancellationToken)).ToArray();
        return snapshots.Add(id, new FeedBytes(json, row.PublishedAt, row.ETag));
    }

    /// <summary>
    /// Items <paramref name="after"/> + 1 … + <paramref name="limit"/> of a snapshot, in the feed's order,
    /// from the stored renditions (a snapshot stored whole by an older portal: cut from its bytes).
    /// </summary>
    public async Task<IReadOnlyList<ReadOnlyMemory<byte>>> ItemsAsync(int id, int after, int limit, PortalDbContext db, CancellationToken cancellationToken)
    {
        if (Current is { } current && current.SnapshotId == id)
        {
            return current.InFeedOrder.Skip(after).Take(limit).Select(i => i.Json).ToList();
        }

        // The feed's order is ordinal (FeedBuilder.Compose). PostgreSQL sorts text by the database's
        // collation, which may ignore hyphens (en_US: "backache" before "back-pain"), so ask for "C" there.
        var manifest = db.ManifestOf(id).OrderBy(e => e.Kind);
        var ordered = db.Database.IsNpgsql()
            ? manifest.ThenBy(e => EF.Functions.Collate(e.Slug, "C"))
            : manifest.ThenBy(e => e.Slug);
        var page = await ordered
            .Skip(after).Take(limit)
            .Select(e => new { e.DocumentId, e.VersionId, e.PeriodicReviews, e.ReviewOverdue })
            .ToListAsync(cancellationToken);
        var ids = page.Select(e => e.VersionId).ToList();
        var stored = (await db.Renditions.AsNoTracking().Where(r => ids.Contains(r.VersionId)).ToListAsync(cancellationToken)).ToDictionary(r => r.Key, r => r.Json);
        if (page.All(e => stored.ContainsKey((e.VersionId, e.PeriodicReviews, e.ReviewOverdue))))
        {
            return page.Select(e => (ReadOnlyMemory<byte>)stored[(e.VersionId, e.PeriodicReviews, e.ReviewOverdue)]).ToList();
        }

        var whole = await SnapshotAsync(id, db, cancellationToken);
        using var json = JsonDocument.Parse(whole!.Json);
        var byDocument = new[] { "articles", "redFlagLists" }
            .SelectMany(p => json.RootElement.GetProperty(p).EnumerateArray())
            .ToDictionary(e => e.GetProperty("id").GetGuid(), e => System.Text.Encoding.UTF8.GetBytes(e.GetRawText()));
        return page.Select(e => (ReadOnlyMemory<byte>)byDocument[e.DocumentId]).ToList();
    }

    /// <summary>A snapshot's entries (its manifest).</summary>
    public static async Task<IReadOnlyList<SnapshotEntry>> EntriesAsync(PortalDbContext db, int id, CancellationToken cancellationToken) =>
        await db.ManifestOf(id).ToListAsync(cancellationToken);

    /// <summary>A stored snapshot with its entries, for the feed header (no bytes).</summary>
    private static async Task<Snapshot> HeaderAsync(PortalDbContext db, int id, CancellationToken cancellationToken) =>
        await db.Snapshots.AsNoTracking().FirstAsync(s => s.Id == id, cancellationToken);

    /// <summary>
    /// Each entry of a snapshot with its stored rendition; an entry the same as one of <paramref name="reuse"/>'s
    /// takes that item as it is (read and hashed already), so only the changed renditions are read.
    /// </summary>
    private static async Task<IReadOnlyList<ItemBytes>> PartsAsync(PortalDbContext db, int id, CancellationToken cancellationToken, CurrentFeed? reuse = null)
    {
        ItemBytes? Reused(SnapshotEntry entry) =>
            reuse is not null && reuse.Items.TryGetValue(entry.DocumentId, out var item) && item.Entry.SameAs(entry) ? item : null;

        var entries = await EntriesAsync(db, id, cancellationToken);
        var parts = new List<ItemBytes>(entries.Count);
        foreach (var chunk in entries.Chunk(500))
        {
            var reused = chunk.Select(Reused).ToArray();
            var ids = chunk.Where((_, i) => reused[i] is null).Select(e => e.VersionId).ToList();
            var json = ids.Count == 0 ? [] : (await db.Renditions.AsNoTracking().Where(r => ids.Contains(r.VersionId)).ToListAsync(cancellationToken))
                .ToDictionary(r => r.Key, r => r.Json);
            parts.AddRange(chunk.Select((e, i) => reused[i] ?? new ItemBytes(e, json.TryGetValue(Rendition.KeyOf(e), out var bytes)
                ? bytes
                : throw new InvalidOperationException($"Snapshot {id} lists version {e.VersionNumber} of {e.Slug}, which has no stored rendition."))));
        }

        return parts;
    }

    private static async Task StoreRenditionsAsync(PortalDbContext db, CurrentFeed current, DateTime at, CancellationToken cancellationToken)
    {
        foreach (var chunk in current.Items.Chunk(500))
        {
            var ids = chunk.Select(i => i.Value.VersionId).ToList();
            var stored = (await db.Renditions.Where(r => ids.Contains(r.VersionId)).Select(r => new { r.VersionId, r.PeriodicReviews, r.ReviewOverdue }).ToListAsync(cancellationToken))
                .Select(r => (r.VersionId, r.PeriodicReviews, r.ReviewOverdue)).ToHashSet();
            db.Renditions.AddRange(chunk.Where(i => !stored.Contains(Rendition.KeyOf(i.Value.Entry)))
                .Select(i => new Rendition(i.Value.VersionId, i.Key, i.Value.Slug, i.Value.Json.ToArray(), at, i.Value.Entry.PeriodicReviews, i.Value.Entry.ReviewOverdue)));
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static CurrentFeed FromComposed(int id, DateTime publishedAt, string etag, ComposedFeed composed, FeedOrderedManifest? entries = null) =>
        Cut(id, publishedAt, new FeedBytes(composed, publishedAt, etag), composed.Items, entries);

    /// <summary>A feed stored whole (before renditions existed): cut into its items once.</summary>
    private static CurrentFeed FromBytes(int id, DateTime publishedAt, string etag, byte[] feedJson, IReadOnlyList<SnapshotEntry> entries)
    {
        var byDocument = entries.ToDictionary(e => e.DocumentId);
        var items = new List<ItemBytes>();
        using var json = JsonDocument.Parse(feedJson);
        foreach (var property in new[] { "articles", "redFlagLists" })
        {
            foreach (var element in json.RootElement.GetProperty(property).EnumerateArray())
            {
                var documentId = element.GetProperty("id").GetGuid();
                items.Add(new ItemBytes(byDocument[documentId], System.Text.Encoding.UTF8.GetBytes(element.GetRawText())));
            }
        }

        return Cut(id, publishedAt, new FeedBytes(feedJson, publishedAt, etag), items);
    }

    private static CurrentFeed Cut(int id, DateTime publishedAt, FeedBytes feed, IReadOnlyList<ItemBytes> inFeedOrder, FeedOrderedManifest? entries = null)
    {
        // Items are looked up by slug in the feed's order (CurrentFeed.Find), get their responses on first
        // request, and are indexed by document only when asked: a publish hands over its manifest, which is
        // the items' entries in the same order, so nothing here walks every item.
        if (entries is null || entries.Count != inFeedOrder.Count)
        {
            entries = FeedOrderedManifest.Of(inFeedOrder.Select(i => i.Entry));
            if (!entries.Select(e => e.DocumentId).SequenceEqual(inFeedOrder.Select(i => i.Entry.DocumentId)))
            {
                throw new InvalidOperationException($"The items of snapshot {id} are not in the feed's order.");
            }
        }

        return new CurrentFeed
        {
            SnapshotId = id,
            PublishedAt = publishedAt,
            Feed = feed,
            InFeedOrder = inFeedOrder,
            Entries = entries,
        };
    }
}

/// <summary>
/// A committed snapshot's feed as its publish composed it, handed to <see cref="PublishedFeed.Show"/>:
/// the sealed snapshot with its manifest in the items' order, and the composed items.
/// </summary>
public sealed record FeedRelease(Publication Publication, ComposedFeed Composed);
