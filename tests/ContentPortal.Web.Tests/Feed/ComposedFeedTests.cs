using System.IO.Compression;
using System.Net;
using System.Text;
using ContentPortal.Domain;
using ContentPortal.Web.Feed;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ContentPortal.Web.Tests.Feed;

/// <summary>
/// The whole feed kept as its items' pieces (issue 9): its validator is a digest of the items' digests,
/// its gzip form is joined from the items' own deflate segments, and a publish reuses the unchanged items.
/// </summary>
public sealed class ComposedFeedTests : FeedAppTests
{
    private const string Article = "lower-back-pain-when-lying-down";

    private static readonly DateTime At = new(2026, 12, 1, 9, 30, 0, DateTimeKind.Utc);

    private static ItemBytes Item(string slug, DocumentKind kind, string json) =>
        new(new SnapshotEntry(Guid.NewGuid(), Guid.NewGuid(), 1, kind, slug, slug), Encoding.UTF8.GetBytes(json));

    private static Snapshot Header(string note = "Note") =>
        Snapshot.Publish(SnapshotPlan.For(null, [Item("any", DocumentKind.Article, "{}").Entry]), TestActors.Publisher, At, note).Snapshot;

    private static ComposedFeed Compose(Snapshot header, params ItemBytes[] items) => FeedBuilder.Compose(header, items);

    public static TheoryData<string[]> Layouts => new()
    {
        Array.Empty<string>(),
        new[] { "a:alpha" },
        new[] { "r:flags" },
        new[] { "a:beta", "a:alpha", "r:flags", "r:another" },
        new[] { "r:z", "r:y", "r:x" },
    };

    [Theory]
    [InlineData(1, "sealed")]
    [InlineData(2, "sealed")]
    [InlineData(3, "none")]
    [InlineData(4, "sealed")]
    [InlineData(5, "none")]
    [InlineData(6, "sealed")]
    [InlineData(7, "prepared")]
    [InlineData(8, "prepared")]
    public void A_feed_composed_as_an_edit_of_the_previous_one_is_the_feed_composed_whole(int seed, string previousDigests)
    {
        var random = new Random(seed);
        ItemBytes Random(string slug) => Item(slug, random.Next(3) == 0 ? DocumentKind.RedFlagList : DocumentKind.Article, $"{{\"slug\":\"{slug}\",\"n\":{random.Next()}}}");
        var before = Enumerable.Range(0, random.Next(0, 40)).Select(i => Random($"s{i:00}")).OrderBy(i => i.Entry, SnapshotPlan.FeedOrder).ToArray();
        var previous = Compose(Header("Before"), before);
        if (previousDigests == "sealed")
        {
            previous.ComputeETag(); // the digests an edit copies
        }
        else if (previousDigests == "prepared")
        {
            previous.PrepareDigests(); // a feed loaded at start-up, hashed in the background
        }

        // Some items leave, some are replaced, some are new; the rest stay where they were.
        var next = before.Where(_ => random.Next(5) > 0).Select(i => random.Next(6) == 0 ? Item(i.Slug, i.Entry.Kind, "{\"replaced\":true}") : i)
            .Concat(Enumerable.Range(0, random.Next(0, 6)).Select(i => Random($"n{i}")))
            .OrderBy(i => i.Entry, SnapshotPlan.FeedOrder).ToArray();
        var fromBase = next.Select(i => Array.IndexOf(before, i)).ToArray();
        var header = Header("After");

        var edited = FeedBuilder.ComposeEdit(header, previous, next, fromBase);
        var whole = FeedBuilder.Compose(header, next);

        Assert.Equal(Encoding.UTF8.GetString(whole.ToArray()), Encoding.UTF8.GetString(edited.ToArray()));
        Assert.Equal(whole.ComputeETag(), edited.ComputeETag());
        Assert.Equal(Gunzip(whole.Gzip()), Gunzip(edited.Gzip()));
        Assert.Equal(whole.ToArray(), Gunzip(edited.Gzip()));
        // And the next edit of the edited feed still agrees.
        var after = next.Where((_, i) => i % 3 != 1).ToArray();
        var again = FeedBuilder.ComposeEdit(header, edited, after, after.Select(i => Array.IndexOf(next, i)).ToArray());
        Assert.Equal(FeedBuilder.Compose(header, after).ToArray(), again.ToArray());
        Assert.Equal(FeedBuilder.Compose(header, after).ComputeETag(), again.ComputeETag());
    }

    private static byte[] Gunzip(Pieces gzip)
    {
        using var joined = new MemoryStream();
        foreach (var piece in gzip)
        {
            joined.Write(piece.Span);
        }

        joined.Position = 0;
        using var unzip = new GZipStream(joined, CompressionMode.Decompress);
        using var output = new MemoryStream();
        unzip.CopyTo(output);
        return output.ToArray();
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void The_pieces_gzip_and_digest_describe_exactly_the_serialized_feed(string[] layout)
    {
        var header = Header();
        var items = layout.Select(l => Item(l[2..], l[0] == 'a' ? DocumentKind.Article : DocumentKind.RedFlagList, $"{{\"slug\":\"{l[2..]}\",\"text\":\"{new string('x', 300)}\"}}")).ToArray();

        var composed = Compose(header, items);
        var json = composed.ToArray();

        var parsed = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        Assert.Equal(items.Count(i => i.Entry.Kind == DocumentKind.Article), parsed["articles"]!.AsArray().Count);
        Assert.Equal(items.Count(i => i.Entry.Kind == DocumentKind.RedFlagList), parsed["redFlagLists"]!.AsArray().Count);
        Assert.Equal(composed.Length, json.LongLength);
        Assert.Equal(json, composed.Identity.SelectMany(p => p.ToArray()).ToArray());
        Assert.Equal(json, Gunzip(composed.Gzip()));
        Assert.True(Snapshot.IsStrongETag(composed.ComputeETag()));
    }

    [Fact]
    public void The_etag_is_the_same_for_the_same_bytes_and_changes_with_any_item_or_the_header()
    {
        var header = Header();
        var a = Item("alpha", DocumentKind.Article, "{\"v\":1}");
        var b = Item("beta", DocumentKind.Article, "{\"v\":2}");
        var flags = Item("flags", DocumentKind.RedFlagList, "{\"v\":3}");
        var etag = Compose(header, a, b, flags).ComputeETag();

        // Same bytes from other objects (another publish's copies): same tag.
        var copies = new[] { a, b, flags }.Select(i => new ItemBytes(i.Entry, i.Json.ToArray())).ToArray();
        Assert.Equal(etag, Compose(header, copies).ComputeETag());
        Assert.Equal(etag, Compose(header, flags, b, a).ComputeETag());

        // One byte of one item, one item's kind, one item less, another header: another tag.
        Assert.NotEqual(etag, Compose(header, a, Item("beta", DocumentKind.Article, "{\"v\":9}"), flags).ComputeETag());
        Assert.NotEqual(etag, Compose(header, a, b, new ItemBytes(new SnapshotEntry(flags.Entry.DocumentId, flags.Entry.VersionId, 1, DocumentKind.Article, "flags", "flags"), flags.Json)).ComputeETag());
        Assert.NotEqual(etag, Compose(header, a, b).ComputeETag());
        Assert.NotEqual(etag, Compose(Header("Another note"), a, b, flags).ComputeETag());
    }

    [Fact]
    public void A_feed_above_the_brotli_limit_offers_gzip_and_identity_only()
    {
        var composed = Compose(Header(), Item("alpha", DocumentKind.Article, $"{{\"text\":\"{new string('y', 5000)}\"}}"));
        var small = new FeedBytes(composed, At, composed.ComputeETag());
        var large = new FeedBytes(composed, At, composed.ComputeETag(), wholeBrotliLimit: 1024);

        Assert.True(small.OffersBrotli);
        Assert.False(large.OffersBrotli);
        Assert.Equal("br", FeedHttp.PreferredEncoding("br, gzip", small.OffersBrotli));
        Assert.Equal("gzip", FeedHttp.PreferredEncoding("br, gzip", large.OffersBrotli));
        Assert.Null(FeedHttp.PreferredEncoding("br", large.OffersBrotli));
        using var decoded = new MemoryStream();
        new BrotliStream(new MemoryStream(small.Body("br").Single().ToArray()), CompressionMode.Decompress).CopyTo(decoded);
        Assert.Equal(composed.ToArray(), decoded.ToArray());
    }

    [Fact]
    public async Task A_publish_reuses_the_unchanged_items_and_serves_its_sealed_etag()
    {
        var feed = app.Services.GetRequiredService<PublishedFeed>();
        _ = await client.GetAsync("/api/v1/feed");
        var before = feed.Current!;
        var approved = await app.ApproveNewVersionAsync(Article, c => c with { Summary = "Changed for reuse." });

        var snapshot = await app.PublishAsync("One change");

        var after = feed.Current!;
        Assert.Equal(snapshot.Id, after.SnapshotId);
        Assert.All(after.Items.Where(i => i.Value.VersionId != approved.Id), i => Assert.Same(before.Items[i.Key], i.Value));
        Assert.Equal(approved.Id, after.Items[approved.DocumentId].VersionId);
        var response = await client.GetAsync("/api/v1/feed");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(snapshot.ETag, response.Headers.ETag?.Tag);
        Assert.Equal(await app.ExpectedFeedAsync(snapshot), await response.Content.ReadAsByteArrayAsync());
    }
}
