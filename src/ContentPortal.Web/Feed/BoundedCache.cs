namespace ContentPortal.Web.Feed;

/// <summary>
/// A small least-recently-used cache of ready responses, bounded by the bytes they hold: old snapshots
/// and derived answers are cheap to rebuild, memory is not. An answer bigger than a quarter of the
/// budget is not kept at all (it is rebuilt per request instead of evicting everything else).
/// </summary>
public sealed class BoundedCache<TKey>(long budgetBytes)
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, FeedBytes Bytes, long Size)>> index = [];
    private readonly LinkedList<(TKey Key, FeedBytes Bytes, long Size)> order = new();
    private long held;

    public long BudgetBytes => budgetBytes;

    public long HeldBytes
    {
        get
        {
            lock (index)
            {
                return held;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (index)
            {
                return index.Count;
            }
        }
    }

    public bool TryGet(TKey key, out FeedBytes bytes)
    {
        lock (index)
        {
            if (index.TryGetValue(key, out var node))
            {
                order.Remove(node);
                order.AddFirst(node);
                bytes = node.Value.Bytes;
                return true;
            }
        }

        bytes = null!;
        return false;
    }

    /// <summary>What is cached under the key, or builds it once and keeps it (within the budget).</summary>
    public FeedBytes GetOrAdd(TKey key, Func<TKey, FeedBytes> build) =>
        TryGet(key, out var cached) ? cached : Add(key, build(key));

    /// <summary>Keeps <paramref name="bytes"/> (counted with room for its compressed forms) and returns what is cached under the key.</summary>
    public FeedBytes Add(TKey key, FeedBytes bytes)
    {
        // Counted at 1.5 × the identity bytes: gzip and Brotli forms are made on demand and kept with it.
        var size = bytes.Json.Length * 3L / 2 + 256;
        if (size > budgetBytes / 4)
        {
            return bytes;
        }

        lock (index)
        {
            if (index.TryGetValue(key, out var existing))
            {
                return existing.Value.Bytes;
            }

            index[key] = order.AddFirst((key, bytes, size));
            held += size;
            while (held > budgetBytes && order.Last is { } oldest)
            {
                order.RemoveLast();
                index.Remove(oldest.Value.Key);
                held -= oldest.Value.Size;
            }

            return bytes;
        }
    }
}
