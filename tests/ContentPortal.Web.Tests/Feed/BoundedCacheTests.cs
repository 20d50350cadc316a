using ContentPortal.Web.Feed;

namespace ContentPortal.Web.Tests.Feed;

/// <summary>The caches of past snapshots and derived answers hold at most their budget of bytes.</summary>
public sealed class BoundedCacheTests
{
    private static FeedBytes Bytes(int size) => new(new byte[size], DateTime.UnixEpoch);

    [Fact]
    public void Keeps_within_its_budget_dropping_the_least_recently_used()
    {
        var cache = new BoundedCache<int>(10_000);
        for (var i = 0; i < 50; i++)
        {
            cache.Add(i, Bytes(1_000));
            Assert.True(cache.HeldBytes <= cache.BudgetBytes);
        }

        Assert.True(cache.TryGet(49, out _));
        Assert.False(cache.TryGet(0, out _));
        Assert.InRange(cache.Count, 1, 10);
    }

    [Fact]
    public void Reading_an_entry_keeps_it_and_an_answer_too_big_for_the_budget_is_never_kept()
    {
        var cache = new BoundedCache<string>(10_000);
        var first = cache.Add("first", Bytes(1_000));
        for (var i = 0; i < 20; i++)
        {
            Assert.True(cache.TryGet("first", out var again));
            Assert.Same(first, again);
            cache.Add($"other {i}", Bytes(1_000));
        }

        var huge = Bytes(5_000);
        Assert.Same(huge, cache.Add("huge", huge));
        Assert.False(cache.TryGet("huge", out _));
    }

    [Fact]
    public void The_feed_caches_have_budgets()
    {
        Assert.InRange(PublishedFeed.SnapshotBudgetBytes, 1, 512L * 1024 * 1024);
        Assert.InRange(CurrentFeed.DerivedBudgetBytes, 1, 512L * 1024 * 1024);
    }
}
