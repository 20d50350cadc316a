namespace ContentPortal.Domain.Tests;

/// <summary>
/// The next manifest is the current one with the pending documents' entries replaced or left out, in the
/// feed's order (articles, then red-flag lists, each by slug), merged rather than sorted again.
/// </summary>
public class ManifestApplyTests
{
    // "a" = document a, an article with slug "a" at version 1; "a2" its version 2; "a@z" its slug "z";
    // "!f" a red-flag list; a pending "a=-" leaves the feed.
    private static SnapshotEntry Entry(string code)
    {
        var list = code.StartsWith('!');
        code = code.TrimStart('!');
        var letter = code[0];
        var document = new Guid($"00000000-0000-0000-0000-0000000000{(int)letter:x2}");
        var number = code.Length > 1 && char.IsDigit(code[1]) ? code[1] - '0' : 1;
        var slug = code.Contains('@') ? code[(code.IndexOf('@') + 1)..] : letter.ToString();
        var version = new Guid($"00000000-0000-0000-{number:x4}-0000000000{(int)letter:x2}");
        return new SnapshotEntry(document, version, number, list ? DocumentKind.RedFlagList : DocumentKind.Article, slug, slug);
    }

    private static SnapshotEntry[] Entries(string codes) =>
        codes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Entry).ToArray();

    private static Dictionary<Guid, SnapshotEntry?> Pending(string codes) =>
        codes.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToDictionary(
            c => Entry(c.Split('=')[0]).DocumentId,
            c => c.EndsWith("=-") ? null : Entry(c));

    private static string Describe(IEnumerable<SnapshotEntry> entries) =>
        string.Join(' ', entries.Select(e => $"{(e.Kind == DocumentKind.RedFlagList ? "!" : "")}{e.Slug}{e.VersionNumber}"));

    [Theory]
    [InlineData("a b c", "", "a1 b1 c1")] // nothing pending: the same entries
    [InlineData("a b c", "b2", "a1 b2 c1")] // one new version, in place
    [InlineData("b c d", "a", "a1 b1 c1 d1")] // added first
    [InlineData("a c d", "b", "a1 b1 c1 d1")] // added between
    [InlineData("a b c", "d", "a1 b1 c1 d1")] // added last
    [InlineData("a b c", "b=-", "a1 c1")] // leaves the feed
    [InlineData("a b c", "a@z", "b1 c1 z1")] // a new slug moves it
    [InlineData("a b !f", "c !e", "a1 b1 c1 !e1 !f1")] // articles first, then red-flag lists
    [InlineData("!f a", "", "a1 !f1")] // a manifest read from the store in another order is sorted
    [InlineData("c a b", "b2 d", "a1 b2 c1 d1")] // …also when documents change
    [InlineData("", "b a", "a1 b1")] // the first publish
    [InlineData("a b", "a=- b=-", "")] // everything leaves
    public void Replaces_and_merges_in_feed_order(string current, string pending, string next)
    {
        var applied = SnapshotPlan.Apply(Entries(current), Pending(pending));

        Assert.Equal(next, Describe(applied));
        Assert.True(SnapshotPlan.IsInFeedOrder(applied, e => e));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Gives_the_same_manifest_as_replacing_and_sorting_everything(int seed)
    {
        var random = new Random(seed);
        var letters = "abcdefghijklmnopqrstuvwxyz";
        var current = letters.Where(_ => random.Next(3) > 0)
            .Select(l => Entry($"{(random.Next(4) == 0 ? "!" : "")}{l}{random.Next(1, 5)}"))
            .OrderBy(e => e, SnapshotPlan.FeedOrder).ToList();
        var pending = new Dictionary<Guid, SnapshotEntry?>();
        foreach (var l in letters.Where(_ => random.Next(4) == 0))
        {
            var entry = Entry($"{l}{random.Next(5, 9)}@{l}{random.Next(10)}");
            pending[entry.DocumentId] = random.Next(3) == 0 ? null : entry;
        }

        // The way the plan was made before: replace in a dictionary, then sort the lot.
        var replaced = current.ToDictionary(e => e.DocumentId);
        foreach (var (document, entry) in pending)
        {
            replaced.Remove(document);
            if (entry is not null)
            {
                replaced[document] = entry;
            }
        }

        var expected = replaced.Values.OrderBy(e => e.Kind).ThenBy(e => e.Slug, StringComparer.Ordinal).ToList();
        Assert.Equal(Describe(expected), Describe(SnapshotPlan.Apply(current, pending)));
        Assert.Equal(expected.Select(e => e.DocumentId), SnapshotPlan.Apply(current, pending).Select(e => e.DocumentId));
    }
}
