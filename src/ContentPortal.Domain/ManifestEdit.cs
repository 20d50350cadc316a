using System.Collections.ObjectModel;

namespace ContentPortal.Domain;

/// <summary>
/// A manifest known to be in <see cref="SnapshotPlan.FeedOrder"/> (articles, then red-flag lists, each by
/// ordinal slug): made by <see cref="ManifestEdit"/> or checked once by <see cref="Of"/>, so nothing that
/// receives one compares every slug of the corpus again.
/// </summary>
public sealed class FeedOrderedManifest : ReadOnlyCollection<SnapshotEntry>
{
    public static readonly FeedOrderedManifest None = new([]);

    private FeedOrderedManifest(IList<SnapshotEntry> entries)
        : base(entries)
    {
    }

    /// <summary>The entries in feed order: kept as they are when they are in it already (checked in one pass), else sorted (stably).</summary>
    public static FeedOrderedManifest Of(IEnumerable<SnapshotEntry> entries)
    {
        if (entries is FeedOrderedManifest ordered)
        {
            return ordered;
        }

        var list = entries.ToArray();
        return new FeedOrderedManifest(SnapshotPlan.IsInFeedOrder(list, e => e) ? list : list.OrderBy(e => e, SnapshotPlan.FeedOrder).ToArray());
    }

    internal static FeedOrderedManifest InOrderAlready(SnapshotEntry[] entries) => new(entries);

    /// <summary>
    /// Where an entry of <paramref name="kind"/> at <paramref name="slug"/> goes: the first index whose entry
    /// comes after it (a binary search, so a lookup touches log n entries).
    /// </summary>
    public int After(DocumentKind kind, string slug)
    {
        int low = 0, high = Count;
        while (low < high)
        {
            var middle = low + (high - low) / 2;
            var entry = this[middle];
            var order = entry.Kind != kind ? entry.Kind.CompareTo(kind) : string.CompareOrdinal(entry.Slug, slug);
            (low, high) = order <= 0 ? (middle + 1, high) : (low, middle);
        }

        return low;
    }

    /// <summary>The index of <paramref name="documentId"/>'s entry if it is filed at <paramref name="kind"/> and <paramref name="slug"/>, else -1.</summary>
    public int IndexAt(Guid documentId, DocumentKind kind, string slug)
    {
        var after = After(kind, slug);
        return after > 0 && this[after - 1].DocumentId == documentId && this[after - 1].Kind == kind
            && string.Equals(this[after - 1].Slug, slug, StringComparison.Ordinal) ? after - 1 : -1;
    }
}

/// <summary>
/// A document publishing would change, as the store knows it: its next entry (null: it leaves the feed),
/// its kind and slug now, and whether it has a published version. <paramref name="Published"/> false means
/// the current manifest does not hold it (the publish transaction keeps the two equal), so it is not
/// looked for; true means it is looked for at its slug, and through the whole manifest if its slug changed.
/// </summary>
public sealed record PendingEntry(Guid DocumentId, DocumentKind Kind, string Slug, SnapshotEntry? Next, bool Published);

/// <summary>One document's entry before and after an edit (either may be null).</summary>
public sealed record Replacement(SnapshotEntry? Before, SnapshotEntry? After);

/// <summary>
/// The next manifest as an edit of the current one: the pending documents' entries replaced, added or
/// left out, everything else the very same entries in the same order. Its costs follow the change: the
/// pending documents are found by binary search, and the rest is copied as references, never compared,
/// hashed or sorted again. It says which current entry each next entry is (<see cref="FromBase"/>), so
/// the feed can reuse those items by position, and what changed (<see cref="Changes"/>, <see cref="Rows"/>).
/// </summary>
public sealed class ManifestEdit
{
    private ManifestEdit(FeedOrderedManifest @base, FeedOrderedManifest entries, int[] fromBase, IReadOnlyList<Replacement> replaced)
    {
        Base = @base;
        Entries = entries;
        FromBase = fromBase;
        Replaced = replaced;
    }

    /// <summary>The manifest edited (the current one).</summary>
    public FeedOrderedManifest Base { get; }

    /// <summary>The next manifest.</summary>
    public FeedOrderedManifest Entries { get; }

    /// <summary>For each next entry, its index in <see cref="Base"/> when it is that very entry, else -1 (new or replaced).</summary>
    public IReadOnlyList<int> FromBase { get; }

    /// <summary>Each pending document found or added: its entry before and after, in the order they were pending.</summary>
    public IReadOnlyList<Replacement> Replaced { get; }

    public static ManifestEdit Apply(IReadOnlyList<SnapshotEntry> current, IReadOnlyCollection<PendingEntry> pending)
    {
        var basis = FeedOrderedManifest.Of(current);
        var found = new Dictionary<Guid, int>(pending.Count);
        var lost = new HashSet<Guid>();
        foreach (var p in pending)
        {
            if (!found.TryAdd(p.DocumentId, -1))
            {
                throw new ArgumentException($"Document {p.DocumentId} is pending twice.", nameof(pending));
            }

            // Looked for where it is filed now, or where its next entry goes (the same unless its slug changed).
            var at = p.Published ? basis.IndexAt(p.DocumentId, p.Kind, p.Slug) : -1;
            if (at < 0 && p.Published && p.Next is { } next)
            {
                at = basis.IndexAt(p.DocumentId, next.Kind, next.Slug);
            }

            if (at >= 0)
            {
                found[p.DocumentId] = at;
            }
            else if (p.Published)
            {
                lost.Add(p.DocumentId);
            }
        }

        if (lost.Count > 0)
        {
            // Filed under a slug it no longer has: one pass over the manifest (a rename, seldom).
            for (var i = 0; i < basis.Count; i++)
            {
                if (lost.Contains(basis[i].DocumentId))
                {
                    found[basis[i].DocumentId] = i;
                }
            }
        }

        var removed = new bool[basis.Count];
        var replaced = new List<Replacement>(pending.Count);
        foreach (var p in pending)
        {
            var at = found[p.DocumentId];
            if (at >= 0)
            {
                removed[at] = true;
            }

            replaced.Add(new Replacement(at >= 0 ? basis[at] : null, p.Next));
        }

        // Each next entry goes after every current entry that sorts before or with it (as a stable sort puts it).
        var added = replaced.Select(r => r.After).OfType<SnapshotEntry>().OrderBy(e => e, SnapshotPlan.FeedOrder)
            .Select(e => (Entry: e, At: basis.After(e.Kind, e.Slug))).ToList();
        var count = basis.Count + added.Count - removed.Count(r => r);
        var entries = new SnapshotEntry[count];
        var fromBase = new int[count];
        var n = 0;
        var a = 0;
        for (var i = 0; i <= basis.Count; i++)
        {
            while (a < added.Count && added[a].At == i)
            {
                fromBase[n] = -1;
                entries[n++] = added[a++].Entry;
            }

            if (i < basis.Count && !removed[i])
            {
                fromBase[n] = i;
                entries[n++] = basis[i];
            }
        }

        return new ManifestEdit(basis, FeedOrderedManifest.InOrderAlready(entries), fromBase, replaced);
    }

    /// <summary>What the edit changes: <see cref="ChangesOf"/> its replacements.</summary>
    public IReadOnlyList<PlannedChange> Changes() => ChangesOf(Replaced);

    /// <summary>
    /// What would change, the one place it is worked out: for the publish (from the edit of the current
    /// manifest) and for the Publish page's preview (from the pending documents' published and next entries,
    /// without reading the manifest). Added and changed entries in feed order, then removed ones in feed
    /// order. A document whose version stays is not a change, unless a periodic review kept it since (Reviewed) or
    /// the overdue policy flagged its item (Overdue).
    /// </summary>
    public static IReadOnlyList<PlannedChange> ChangesOf(IEnumerable<Replacement> replaced)
    {
        var all = replaced as IReadOnlyCollection<Replacement> ?? replaced.ToList();
        var changes = all.Where(r => r.After is not null && (r.Before is null || r.Before.VersionId != r.After.VersionId || r.After.ReviewedSince(r.Before) || r.After.FlaggedSince(r.Before)))
            .OrderBy(r => r.After!, SnapshotPlan.FeedOrder)
            .Select(r => r.Before is null
                ? new PlannedChange(EntryChange.Added, r.After!, null)
                : new PlannedChange(
                    r.Before.VersionId != r.After!.VersionId ? EntryChange.Changed : r.After.ReviewedSince(r.Before) ? EntryChange.Reviewed : EntryChange.Overdue,
                    r.After!, r.Before.VersionNumber))
            .ToList();
        changes.AddRange(all.Where(r => r.After is null && r.Before is not null).OrderBy(r => r.Before!, SnapshotPlan.FeedOrder)
            .Select(r => new PlannedChange(EntryChange.Removed, r.Before!, r.Before!.VersionNumber)));
        return changes;
    }

    /// <summary>
    /// The stored rows the edit writes and closes (<see cref="ManifestChange.Between"/> of the two whole
    /// manifests, from the pending documents only): an entry that differs in anything is written and the row
    /// it replaces closed; a document that leaves has its row closed.
    /// </summary>
    public (IReadOnlyList<SnapshotEntry> Written, IReadOnlyList<Guid> Closed) Rows()
    {
        var differ = Replaced.Where(r => r.After is not null && (r.Before is null || !r.Before.SameAs(r.After)))
            .OrderBy(r => r.After!, SnapshotPlan.FeedOrder).ToList();
        var closed = differ.Where(r => r.Before is not null).Select(r => r.After!.DocumentId).ToList();
        closed.AddRange(Replaced.Where(r => r.After is null && r.Before is not null).OrderBy(r => r.Before!, SnapshotPlan.FeedOrder).Select(r => r.Before!.DocumentId));
        return (differ.Select(r => r.After!).ToList(), closed);
    }
}
