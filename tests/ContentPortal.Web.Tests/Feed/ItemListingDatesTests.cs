using ContentPortal.Web.Feed;

namespace ContentPortal.Web.Tests.Feed;

/// <summary>
/// ItemListing's date filters: a short run of the sorted dates becomes a posting list, a long one a check per
/// item; either way the items passing are exactly those whose date is before (or from) the time.
/// </summary>
public sealed class ItemListingDatesTests
{
    // 64 items, dates 0..63 shuffled by position (7 is coprime with 64); "none" (long.MaxValue) at every tenth.
    private static readonly long[] Values = Enumerable.Range(0, 64).Select(i => i % 10 == 9 ? long.MaxValue : i * 7 % 64L).ToArray();

    [Theory]
    [InlineData(0L)] // nothing before
    [InlineData(3L)] // a short run: a posting list
    [InlineData(40L)] // a long run: checked item by item
    [InlineData(64L)] // all with a date
    [InlineData(long.MaxValue)]
    public void Before_and_from_give_the_items_the_dates_say(long ticks)
    {
        var dates = ItemListing.Dates.Of(Values);

        Assert.Equal(Positions(v => v < ticks), Passing(dates.Before, ticks));
        Assert.Equal(Positions(v => v >= ticks), Passing(dates.From, ticks));
    }

    [Theory]
    [InlineData(5, 100L)] // moved to the end
    [InlineData(12, -1L)] // moved to the start
    [InlineData(9, 30L)] // a date where there was none
    [InlineData(20, long.MaxValue)] // none any more
    public void A_date_changed_in_place_sorts_as_if_built_again(int position, long value)
    {
        var changed = (long[])Values.Clone();
        changed[position] = value;
        changed[position + 1] = 33;
        var patched = ItemListing.Dates.Of(Values).With([(position, value), (position + 1, 33L)]);

        foreach (var ticks in new[] { -1L, 0L, 3L, 33L, 34L, 40L, 101L, long.MaxValue })
        {
            var built = ItemListing.Dates.Of(changed);
            Assert.Equal(Passing(built.Before, ticks, changed), Passing(patched.Before, ticks, changed));
            Assert.Equal(Passing(built.From, ticks, changed), Passing(patched.From, ticks, changed));
            Assert.Equal(Enumerable.Range(0, changed.Length).Where(p => changed[p] < ticks), Passing(patched.Before, ticks, changed));
        }
    }

    private static List<int> Positions(Func<long, bool> test) => Enumerable.Range(0, Values.Length).Where(p => test(Values[p])).ToList();

    private static List<int> Passing(Action<long, List<int[]>, List<Func<int, bool>>> filter, long ticks, long[]? values = null)
    {
        values ??= Values;
        var lists = new List<int[]>();
        var checks = new List<Func<int, bool>>();
        filter(ticks, lists, checks);
        Assert.Equal(1, lists.Count + checks.Count);
        Assert.All(lists, list => Assert.Equal(list.Order(), list));
        return Enumerable.Range(0, values.Length).Where(p => lists.TrueForAll(l => Array.BinarySearch(l, p) >= 0) && checks.TrueForAll(c => c(p))).ToList();
    }
}
