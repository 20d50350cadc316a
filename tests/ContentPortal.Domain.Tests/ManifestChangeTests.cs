namespace ContentPortal.Domain.Tests;

/// <summary>A publish writes only the manifest rows that differ and closes the ones they replace or drop.</summary>
public class ManifestChangeTests
{
    private static readonly Guid A = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid B = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    private static readonly Guid C = Guid.Parse("00000000-0000-0000-0000-00000000000c");

    // "a1" = document a at version 1, its slug and title "a"; "a1:new title" changes only the title;
    // "a1@moved" changes only the slug.
    private static SnapshotEntry Entry(string code)
    {
        var document = code[0] switch { 'a' => A, 'b' => B, _ => C };
        var number = code[1] - '0';
        var title = code.Contains(':') ? code[(code.IndexOf(':') + 1)..] : code[..1];
        var slug = code.Contains('@') ? code[(code.IndexOf('@') + 1)..] : code[..1];
        var version = new Guid(document.ToByteArray()[..15].Append((byte)number).ToArray());
        return new SnapshotEntry(document, version, number, DocumentKind.Article, slug, title);
    }

    private static SnapshotEntry[] Entries(string codes) =>
        codes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Entry).ToArray();

    [Theory]
    [InlineData("", "a1 b1", "a1 b1", "")] // first publish: every row written, nothing to close
    [InlineData("a1 b1", "a1 b1", "", "")] // republish of the same: nothing
    [InlineData("a1 b1 c1", "a2 b1 c1", "a2", "a")] // one change: one row each way
    [InlineData("a1 b1", "b1", "", "a")] // retired: closed, nothing written
    [InlineData("a1", "a1 b1", "b1", "")] // added: written, nothing closed
    [InlineData("a1 b1", "a1:Renamed b1", "a1:Renamed", "a")] // same version, new title: a new row
    [InlineData("a1 b1", "a1@moved b1", "a1@moved", "a")] // same version, new slug: a new row
    [InlineData("a2 b2 c2", "a1 c1", "a1 c1", "a b c")] // roll back: older versions written, the dropped one closed
    public void Writes_what_differs_and_closes_what_it_replaces(string previous, string next, string written, string closed)
    {
        var (w, c) = ManifestChange.Between(Entries(previous), Entries(next));

        Assert.Equal(Entries(written).Select(Describe), w.Select(Describe));
        Assert.Equal(closed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(d => Entry(d + "1").DocumentId).Order(), c.Order());
    }

    [Fact]
    public void A_manifest_naming_a_document_twice_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => ManifestChange.Between([], Entries("a1 a2")));
    }

    private static string Describe(SnapshotEntry e) => $"{e.DocumentId} {e.VersionId} {e.VersionNumber} {e.Slug} {e.Title}";
}
