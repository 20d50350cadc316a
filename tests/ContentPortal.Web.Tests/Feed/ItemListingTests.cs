using System.Net;
using System.Text.Json.Nodes;

namespace ContentPortal.Web.Tests.Feed;

/// <summary>
/// GET /api/v1/items (ItemListing): each filter against what the whole feed says, the cursor walking every
/// item once in the feed's order, fields, the problems, and an ETag and 304 per page.
/// </summary>
public sealed class ItemListingTests : FeedAppTests
{
    private async Task<List<JsonNode>> FeedItemsAsync()
    {
        var feed = JsonNode.Parse(await client.GetStringAsync("/api/v1/feed"))!;
        return feed["articles"]!.AsArray().Concat(feed["redFlagLists"]!.AsArray()).Select(i => i!).ToList();
    }

    /// <summary>Every item of a listing, following its next links.</summary>
    private async Task<List<JsonNode>> AllPagesAsync(string url)
    {
        var items = new List<JsonNode>();
        for (string? next = url; next is not null;)
        {
            var page = JsonNode.Parse(await client.GetStringAsync(next))!;
            Assert.Equal(1, (int)page["snapshot"]!);
            items.AddRange(page["items"]!.AsArray().Select(i => i!));
            next = (string?)page["next"];
        }

        return items;
    }

    private static List<string> Slugs(IEnumerable<JsonNode> items) => items.Select(i => (string)i["slug"]!).ToList();

    [Fact]
    public async Task The_cursor_walks_every_item_once_in_the_feeds_order()
    {
        var feed = await FeedItemsAsync();

        var listed = await AllPagesAsync("/api/v1/items?limit=1");

        Assert.True(feed.Count > 2);
        Assert.Equal(Slugs(feed), Slugs(listed));
        Assert.Equal(feed.Select(i => i.ToJsonString()), listed.Select(i => i.ToJsonString()));
    }

    [Fact]
    public async Task Kind_code_dates_and_words_filter_like_the_feed_says()
    {
        var feed = await FeedItemsAsync();

        Assert.Equal(Slugs(feed.Where(i => (string)i["kind"]! == "redFlagList")), Slugs(await AllPagesAsync("/api/v1/items?kind=redFlagList&limit=1")));

        var lookup = JsonNode.Parse(await client.GetStringAsync("/api/v1/lookup?system=http://snomed.info/sct&code=279039007"))!;
        var coded = Slugs(lookup["articles"]!.AsArray().Concat(lookup["redFlagLists"]!.AsArray()).Select(i => i!));
        Assert.NotEmpty(coded);
        Assert.Equal(coded, Slugs(await AllPagesAsync("/api/v1/items?system=http://snomed.info/sct&code=279039007&limit=1")));

        var dues = feed.Select(i => (DateTime?)i["reviewDue"]).Where(d => d is not null).Select(d => d!.Value.ToUniversalTime()).Order().ToList();
        Assert.NotEmpty(dues);
        var cut = dues[dues.Count / 2];
        var expected = Slugs(feed.Where(i => i["reviewDue"] is not null && ((DateTime)i["reviewDue"]!).ToUniversalTime() < cut));
        Assert.Equal(expected, Slugs(await AllPagesAsync($"/api/v1/items?reviewDueBefore={Uri.EscapeDataString(cut.ToString("O"))}")));

        var approvals = feed.Select(i => ((DateTime)i["approvedAt"]!).ToUniversalTime()).Order().ToList();
        var since = approvals[^1];
        Assert.Equal(
            Slugs(feed.Where(i => ((DateTime)i["approvedAt"]!).ToUniversalTime() >= since)),
            Slugs(await AllPagesAsync($"/api/v1/items?updatedSince={Uri.EscapeDataString(since.ToString("O"))}")));

        // Every word must appear, in any case: a title's words find at least that item, and a word no item has finds none.
        var title = (string)feed[0]["title"]!;
        var found = Slugs(await AllPagesAsync($"/api/v1/items?q={Uri.EscapeDataString(title.ToUpperInvariant())}"));
        Assert.Contains((string)feed[0]["slug"]!, found);
        Assert.Empty(await AllPagesAsync($"/api/v1/items?q={Uri.EscapeDataString(title + " xylophonequartz")}"));
    }

    private async Task<List<string>> SearchAsync(string q) => Slugs(await AllPagesAsync($"/api/v1/items?limit=2&q={Uri.EscapeDataString(q)}"));

    [Fact]
    public async Task Q_reads_word_forms_any_order_phrases_and_left_out_words_like_the_editors_search()
    {
        // The porter stemmer: other forms of the same words find the same items.
        var forms = await SearchAsync("pulling strains");
        Assert.Contains("pulled-muscle-or-strain", forms);
        Assert.Equal(await SearchAsync("Pulled strain"), forms);

        // Words in any order; a quoted phrase only in its order, its words next to each other.
        const string lyingDown = "lower-back-pain-when-lying-down";
        Assert.Contains(lyingDown, await SearchAsync("down lying when pain back lower"));
        Assert.Contains(lyingDown, await SearchAsync("\"lower back pain\""));
        Assert.DoesNotContain(lyingDown, await SearchAsync("\"pain back lower\""));
        Assert.Empty(await SearchAsync("\"degeneration spondylitis\""));

        // -word leaves out the items that have it; stop words ask nothing.
        var back = await SearchAsync("back");
        var tumor = await SearchAsync("tumor");
        Assert.NotEmpty(back.Intersect(tumor));
        Assert.Equal(back.Except(tumor), await SearchAsync("back -tumor"));
        Assert.Equal(back, await SearchAsync("the back of"));

        // or between two: the items with either, still in the feed's order.
        var feedOrder = Slugs(await FeedItemsAsync());
        var degeneration = await SearchAsync("degeneration");
        Assert.NotEmpty(degeneration.Except(tumor));
        Assert.Equal(feedOrder.Where(s => tumor.Contains(s) || degeneration.Contains(s)), await SearchAsync("tumor or degeneration"));
    }

    [Fact]
    public async Task A_publish_is_listed_from_the_next_snapshots_index_with_its_new_words()
    {
        Assert.Empty(await SearchAsync("zygomorphic"));
        var before = JsonNode.Parse(await client.GetStringAsync("/api/v1/items?q=strain"))!["items"]!.AsArray().Select(i => (string)i!["slug"]!).ToList();

        await app.ApproveNewVersionAsync("pulled-muscle-or-strain", c => c with { Summary = "Zygomorphic strains heal with rest." });
        await app.PublishAsync("A new word");

        var page = JsonNode.Parse(await client.GetStringAsync("/api/v1/items?q=zygomorphic"))!;
        Assert.Equal(2, (int)page["snapshot"]!);
        Assert.Equal(["pulled-muscle-or-strain"], page["items"]!.AsArray().Select(i => (string)i!["slug"]!));
        var after = JsonNode.Parse(await client.GetStringAsync("/api/v1/items?q=strain"))!["items"]!.AsArray().Select(i => (string)i!["slug"]!);
        Assert.Equal(before, after);

        // The next snapshot's index is the previous one patched: the word taken out is gone, the new one found.
        await app.ApproveNewVersionAsync("pulled-muscle-or-strain", c => c with { Summary = "Quixotic strains heal with rest." });
        await app.PublishAsync("Another word");
        var third = JsonNode.Parse(await client.GetStringAsync("/api/v1/items?q=quixotic"))!;
        Assert.Equal(3, (int)third["snapshot"]!);
        Assert.Equal(["pulled-muscle-or-strain"], third["items"]!.AsArray().Select(i => (string)i!["slug"]!));
        Assert.Empty(JsonNode.Parse(await client.GetStringAsync("/api/v1/items?q=zygomorphic"))!["items"]!.AsArray());
        Assert.Equal(before, JsonNode.Parse(await client.GetStringAsync("/api/v1/items?q=strains"))!["items"]!.AsArray().Select(i => (string)i!["slug"]!));
        var feed = await FeedItemsAsync();
        var since = feed.Select(i => ((DateTime)i["approvedAt"]!).ToUniversalTime()).Max();
        var latest = JsonNode.Parse(await client.GetStringAsync($"/api/v1/items?updatedSince={Uri.EscapeDataString(since.ToString("O"))}"))!;
        Assert.Contains("pulled-muscle-or-strain", latest["items"]!.AsArray().Select(i => (string)i!["slug"]!));
        Assert.Equal(Slugs(feed.Where(i => ((DateTime)i["approvedAt"]!).ToUniversalTime() >= since)), latest["items"]!.AsArray().Select(i => (string)i!["slug"]!));
    }

    [Fact]
    public async Task Fields_return_only_those_and_unknown_ones_are_named_in_a_400()
    {
        var page = JsonNode.Parse(await client.GetStringAsync("/api/v1/items?fields=slug,reviewDue,title&limit=5"))!;

        Assert.All(page["items"]!.AsArray(), item => Assert.Equal(["slug", "reviewDue", "title"], item!.AsObject().Select(p => p.Key)));

        var refused = await client.GetAsync("/api/v1/items?fields=slug,colour,bodyText");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var detail = (string)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["detail"]!;
        Assert.StartsWith("Unknown fields: colour, bodyText.", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/items?limit=0")]
    [InlineData("/api/v1/items?limit=201")]
    [InlineData("/api/v1/items?kind=page")]
    [InlineData("/api/v1/items?system=http://snomed.info/sct")]
    [InlineData("/api/v1/items?reviewDueBefore=soon")]
    [InlineData("/api/v1/items?after=nothing")]
    [InlineData("/api/v1/items?kind=article&kind=redFlagList")]
    [InlineData("/api/v1/items?colour=red")]
    public async Task Bad_queries_are_a_400_problem(string url)
    {
        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Each_page_has_its_own_etag_and_answers_304()
    {
        var first = await client.GetAsync("/api/v1/items?limit=2");
        var next = (string)JsonNode.Parse(await first.Content.ReadAsStringAsync())!["next"]!;
        var second = await client.GetAsync(next);

        Assert.NotNull(first.Headers.ETag);
        Assert.NotEqual(first.Headers.ETag, second.Headers.ETag);
        var again = new HttpRequestMessage(HttpMethod.Get, next);
        again.Headers.IfNoneMatch.Add(second.Headers.ETag!);
        var cached = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode);
        Assert.Empty(await cached.Content.ReadAsByteArrayAsync());
        Assert.Equal("public, max-age=60", first.Headers.CacheControl?.ToString());
    }
}
