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

    // Each pending document's next entry (null: it leaves), looked for in the whole manifest when not at its slug.
    private static IReadOnlyList<SnapshotEntry> Apply(IReadOnlyList<SnapshotEntry> current, IReadOnlyDictionary<Guid, SnapshotEntry?> pending) =>
        ManifestEdit.Apply(current, pending.Select(p => new PendingEntry(p.Key, p.Value?.Kind ?? default, p.Value?.Slug ?? "", p.Value, Published: true)).ToList()).Entries;

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
        var applied = Apply(Entries(current), Pending(pending));

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
        Assert.Equal(Describe(expected), Describe(Apply(current, pending)));
        Assert.Equal(expected.Select(e => e.DocumentId), Apply(current, pending).Select(e => e.DocumentId));
    }
}

/// <summary>
/// The plan as an edit of the current manifest gives what comparing the two whole manifests gives (the
/// entries, the changes in their order, the rows written and closed), and says which current entry each
/// next entry is, so the feed can reuse those items by position.
/// </summary>
public class ManifestEditTests
{
    private static readonly string Letters = "abcdefghijklmnopqrstuvwxyz";

    private static Guid Document(char letter) => new($"00000000-0000-0000-0000-0000000000{(int)letter:x2}");

    private static SnapshotEntry Entry(char letter, int number, string slug, bool list = false, string? title = null) =>
        new(Document(letter), new Guid($"00000000-0000-0000-{number:x4}-0000000000{(int)letter:x2}"), number,
            list ? DocumentKind.RedFlagList : DocumentKind.Article, slug, title ?? slug);

    private static string Describe(IEnumerable<SnapshotEntry> entries) =>
        string.Join(' ', entries.Select(e => $"{(e.Kind == DocumentKind.RedFlagList ? "!" : "")}{e.Slug}{e.VersionNumber}"));

    private static string Describe(IEnumerable<PlannedChange> changes) =>
        string.Join(' ', changes.Select(c => $"{c.Change}:{c.Entry.Slug}{c.Entry.VersionNumber}<{c.PreviousVersion}"));

    [Theory]
    // current, pending (letter:version:slug[:published], "-" for leaving), next, changes
    [InlineData("a b c", "b:2:b:p", "a1 b2 c1", "Changed:b2<1")]
    [InlineData("a c", "b:1:b:-", "a1 b1 c1", "Added:b1<")]
    [InlineData("a b c", "b:-:b:p", "a1 c1", "Removed:b1<1")]
    [InlineData("a b c", "a:1:z:p", "b1 c1 z1", "")] // renamed, same version: the row changes, the plan does not
    [InlineData("a b c", "a:2:z:p", "b1 c1 z2", "Changed:z2<1")]
    [InlineData("a b c", "a:-:z:p", "b1 c1", "Removed:a1<1")] // renamed and retired: found through the manifest
    [InlineData("a b c", "b:1:b:p", "a1 b1 c1", "")] // pending but unchanged
    [InlineData("", "b:1:b:- a:1:a:-", "a1 b1", "Added:a1< Added:b1<")]
    public void Edits_the_current_manifest(string current, string pending, string next, string changes)
    {
        var basis = current.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => Entry(c[0], 1, c)).ToList();
        var edits = pending.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split(':')).Select(p => new PendingEntry(
            Document(p[0][0]), DocumentKind.Article, p[2], p[1] == "-" ? null : Entry(p[0][0], int.Parse(p[1]), p[2]), p[3] == "p")).ToList();

        var plan = SnapshotPlan.For(new SnapshotContents(7, basis), edits);

        Assert.Equal(next, Describe(plan.Entries));
        Assert.Equal(changes, Describe(plan.Changes));
        Assert.Equal(8, plan.NextId);
        Assert.All(plan.Entries.Select((e, i) => (e, i)), x =>
        {
            var from = plan.Edit!.FromBase[x.i];
            Assert.True(from < 0 || ReferenceEquals(basis[from], x.e));
        });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Gives_what_comparing_whole_manifests_gives(int seed)
    {
        var random = new Random(seed);
        var current = Letters.Where(_ => random.Next(3) > 0)
            .Select(l => Entry(l, random.Next(1, 5), $"{l}{random.Next(10)}", list: random.Next(4) == 0))
            .OrderBy(e => e, SnapshotPlan.FeedOrder).ToList();
        var published = current.ToDictionary(e => e.DocumentId);
        var pending = new List<PendingEntry>();
        foreach (var l in Letters.Where(_ => random.Next(3) == 0))
        {
            var was = published.GetValueOrDefault(Document(l));
            var kind = was?.Kind ?? (random.Next(4) == 0 ? DocumentKind.RedFlagList : DocumentKind.Article);
            var slug = was is not null && random.Next(3) > 0 ? was.Slug : $"{l}{random.Next(10)}";
            SnapshotEntry? next = random.Next(4) switch
            {
                0 => null, // leaves the feed
                1 when was is not null => Entry(l, was.VersionNumber, slug, kind == DocumentKind.RedFlagList, random.Next(2) == 0 ? was.Title : "new title"),
                _ => Entry(l, random.Next(5, 9), slug, kind == DocumentKind.RedFlagList),
            };
            pending.Add(new PendingEntry(Document(l), kind, slug, next, was is not null));
        }

        var edited = SnapshotPlan.For(new SnapshotContents(3, current), pending);
        // The way the plan was made before: replace in a dictionary, then compare the two whole manifests.
        var replaced = current.ToDictionary(e => e.DocumentId);
        foreach (var p in pending)
        {
            replaced.Remove(p.DocumentId);
            if (p.Next is not null)
            {
                replaced[p.DocumentId] = p.Next;
            }
        }

        var compared = SnapshotPlan.For(new SnapshotContents(3, current), replaced.Values.OrderBy(_ => random.Next()));

        Assert.Equal(Describe(compared.Entries), Describe(edited.Entries));
        Assert.Equal(compared.Entries.Select(e => e.DocumentId), edited.Entries.Select(e => e.DocumentId));
        Assert.Equal(Describe(compared.Changes), Describe(edited.Changes));
        Assert.Equal(compared.Fingerprint, edited.Fingerprint);
        var (written, closed) = ManifestChange.Between(current, compared.Entries);
        var rows = edited.Edit!.Rows();
        Assert.Equal(written.Select(e => e.DocumentId).Order(), rows.Written.Select(e => e.DocumentId).Order());
        Assert.Equal(closed.Order(), rows.Closed.Order());
        Assert.All(edited.Entries.Select((e, i) => (e, i)), x =>
        {
            var from = edited.Edit.FromBase[x.i];
            Assert.Equal(current.Contains(x.e), from >= 0);
            Assert.True(from < 0 || ReferenceEquals(current[from], x.e));
        });
    }

    [Fact]
    public void Refuses_a_document_pending_twice()
    {
        var twice = new[] { new PendingEntry(Document('a'), DocumentKind.Article, "a", null, true), new PendingEntry(Document('a'), DocumentKind.Article, "a", null, true) };

        Assert.Throws<ArgumentException>(() => ManifestEdit.Apply([], twice));
    }
}
