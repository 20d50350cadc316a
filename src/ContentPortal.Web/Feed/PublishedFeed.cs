using System.Collections.Concurrent;
using System.Text.Json;
using ContentPortal.Domain;
using ContentPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Feed;

/// <summary>
/// The current snapshot as ready-made responses: the whole feed, each item on its own, and what it
/// entries hold (for /changes). Built once after a publish commits; <see cref="Derived"/> caches
/// responses computed from it (changes since N, snapshot list pages) and dies with it.
/// </summary>
public sealed class CurrentFeed
{
    public required int SnapshotId { get; init; }

    public required DateTime PublishedAt { get; init; }

    public required FeedBytes Feed { get; init; }

    public required IReadOnlyDictionary<string, FeedBytes> Articles { get; init; }

    public required IReadOnlyDictionary<string, FeedBytes> RedFlagLists { get; init; }

    /// <summary>Document id → (version id, slug, kind, the item's JSON).</summary>
    public required IReadOnlyDictionary<Guid, CurrentItem> Items { get; init; }

    /// <summary>How many derived responses are kept: page/pageSize/since are the caller's to choose, memory is not.</summary>
    public const int MaxDerived = 256;

    public ConcurrentDictionary<string, FeedBytes> Derived { get; } = new();

    /// <summary>Keeps <paramref name="bytes"/> under <paramref name="key"/> while there is room; beyond that it is served uncached.</summary>
    public FeedBytes Remember(string key, FeedBytes bytes) => Derived.Count < MaxDerived ? Derived.GetOrAdd(key, bytes) : bytes;
}

public sealed record CurrentItem(Guid VersionId, string Slug, string Kind, byte[] Json);

/// <summary>
/// Holds the current feed in memory and swaps it in one reference assignment after a publish
/// commits, so a request sees the old snapshot or the new one, never a mix, and never touches the
/// database. One instance per process: a multi-instance deployment must call Reload (docs/operations.md).
/// Past snapshots are immutable, so their bytes are cached by id once loaded.
/// </summary>
public sealed class PublishedFeed
{
    private const int SnapshotCacheSize = 32;

    private readonly ConcurrentDictionary<int, FeedBytes> snapshots = new();
    private CurrentFeed? _current;

    public CurrentFeed? Current => Volatile.Read(ref _current);

    public void Show(Snapshot snapshot)
    {
        if (Current is { } seen && seen.SnapshotId >= snapshot.Id)
        {
            return;
        }

        var next = Build(snapshot);
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

        snapshots.TryAdd(snapshot.Id, next.Feed);
    }

    public async Task ReloadAsync(PortalDbContext db, CancellationToken cancellationToken = default)
    {
        var latest = await db.Snapshots.AsNoTracking().OrderByDescending(s => s.Id).FirstOrDefaultAsync(cancellationToken);
        if (latest is not null)
        {
            Show(latest);
        }
    }

    /// <summary>A published snapshot's exact bytes, or null when there is no such snapshot.</summary>
    public async Task<FeedBytes?> SnapshotAsync(int id, PortalDbContext db, CancellationToken cancellationToken)
    {
        if (snapshots.TryGetValue(id, out var cached))
        {
            return cached;
        }

        var row = await db.Snapshots.AsNoTracking().Where(s => s.Id == id)
            .Select(s => new { s.FeedJson, s.PublishedAt, s.ETag })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        if (snapshots.Count >= SnapshotCacheSize)
        {
            // Old snapshots are rarely read; keep memory bounded rather than clever.
            foreach (var key in snapshots.Keys.Where(k => k != Current?.SnapshotId).Take(SnapshotCacheSize / 2))
            {
                snapshots.TryRemove(key, out _);
            }
        }

        return snapshots.GetOrAdd(id, _ => new FeedBytes(row.FeedJson, row.PublishedAt, row.ETag).Precompress());
    }

    private static CurrentFeed Build(Snapshot snapshot)
    {
        var articles = new Dictionary<string, FeedBytes>(StringComparer.Ordinal);
        var lists = new Dictionary<string, FeedBytes>(StringComparer.Ordinal);
        var items = new Dictionary<Guid, CurrentItem>();
        var versions = snapshot.Entries.ToDictionary(e => e.DocumentId, e => e.VersionId);
        using (var json = JsonDocument.Parse(snapshot.FeedJson))
        {
            foreach (var (property, kind, bySlug) in new[] { ("articles", FeedBuilder.ArticleKind, articles), ("redFlagLists", FeedBuilder.RedFlagListKind, lists) })
            {
                foreach (var element in json.RootElement.GetProperty(property).EnumerateArray())
                {
                    var id = element.GetProperty("id").GetGuid();
                    var slug = element.GetProperty("slug").GetString()!;
                    var bytes = System.Text.Encoding.UTF8.GetBytes(element.GetRawText());
                    // Items are compressed on first request (once, then kept), not for all 10,000 at publish.
                    bySlug[slug] = new FeedBytes(bytes, snapshot.PublishedAt);
                    items[id] = new CurrentItem(versions[id], slug, kind, bytes);
                }
            }
        }

        return new CurrentFeed
        {
            SnapshotId = snapshot.Id,
            PublishedAt = snapshot.PublishedAt,
            Feed = new FeedBytes(snapshot.FeedJson, snapshot.PublishedAt, snapshot.ETag).Precompress(),
            Articles = articles,
            RedFlagLists = lists,
            Items = items,
        };
    }
}
