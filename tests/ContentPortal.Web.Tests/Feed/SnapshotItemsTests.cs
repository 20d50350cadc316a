using System.Net;
using System.Text.Json;
using ContentPortal.Web.Tests.Infrastructure;

namespace ContentPortal.Web.Tests.Feed;

/// <summary>GET /api/v1/snapshots/{id}/items: a snapshot of any size read a page at a time (issue 9).</summary>
public sealed class SnapshotItemsTests(PortalFactory app) : IClassFixture<PortalFactory>
{
    private readonly HttpClient client = app.CreateClient(new() { AllowAutoRedirect = false });

    [Fact]
    public async Task Following_next_reads_every_item_in_feed_order_for_the_current_and_a_past_snapshot()
    {
        var firstFeed = await client.GetStringAsync("/api/v1/feed");
        var firstId = (await app.SnapshotIdsAsync())[^1];
        await app.ApproveNewVersionAsync("lower-back-pain-when-lying-down", c => c with { Summary = "Paged." });
        var second = await app.PublishAsync("Second");
        var secondFeed = await client.GetStringAsync("/api/v1/feed");
        var schema = await FeedSchemaCheck.LoadAsync(client);

        foreach (var (id, feed) in new[] { (firstId, firstFeed), (second.Id, secondFeed) })
        {
            var read = new List<string>();
            string? next = $"/api/v1/snapshots/{id}/items?limit=2";
            var pages = 0;
            while (next is not null)
            {
                using var response = await client.GetAsync(next);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
                var body = await response.Content.ReadAsStringAsync();
                FeedSchemaCheck.AssertValid(schema, body, "snapshotItems");
                using var page = JsonDocument.Parse(body);
                Assert.Equal(id, page.RootElement.GetProperty("snapshot").GetInt32());
                Assert.InRange(page.RootElement.GetProperty("items").GetArrayLength(), 1, 2);
                read.AddRange(page.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetRawText()));
                next = page.RootElement.GetProperty("next").GetString();
                pages++;
            }

            using var whole = JsonDocument.Parse(feed);
            var expected = whole.RootElement.GetProperty("articles").EnumerateArray()
                .Concat(whole.RootElement.GetProperty("redFlagLists").EnumerateArray())
                .Select(i => i.GetRawText()).ToList();
            Assert.Equal(expected, read);
            Assert.Equal((expected.Count + 1) / 2, pages);
        }
    }

    [Theory]
    [InlineData("/api/v1/snapshots/1/items?limit=0", 400)]
    [InlineData("/api/v1/snapshots/1/items?limit=501", 400)]
    [InlineData("/api/v1/snapshots/1/items?limit=abc", 400)]
    [InlineData("/api/v1/snapshots/1/items?after=-1", 400)]
    [InlineData("/api/v1/snapshots/1/items?after=1&after=2", 400)]
    [InlineData("/api/v1/snapshots/0/items", 400)]
    [InlineData("/api/v1/snapshots/99/items", 404)]
    [InlineData("/api/v1/snapshots/1/items?limit=500", 200)]
    public async Task Bad_input_is_a_problem_never_a_failure(string url, int status)
    {
        using var response = await client.GetAsync(url);
        Assert.Equal(status, (int)response.StatusCode);
        if (status != 200)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_page_past_the_end_is_empty_with_no_next()
    {
        using var page = JsonDocument.Parse(await client.GetStringAsync("/api/v1/snapshots/1/items?after=100000"));
        Assert.Equal(0, page.RootElement.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, page.RootElement.GetProperty("next").ValueKind);
    }

    [PostgresFact]
    public async Task A_past_snapshot_pages_in_the_feeds_order_on_a_database_whose_collation_ignores_hyphens()
    {
        // ICU's "shifted" alternate handling ignores punctuation, as glibc's en_US.UTF-8 collation does.
        var database = PostgresTestDatabase.CreateWithIcuCollation("en-US-u-ka-shifted");
        try
        {
            await using var portal = new PortalFactory(PortalOptions.WithFakeClock() with { Database = database });
            await portal.CreateApprovedArticleAsync("back-pain-at-work", "Back pain at work", "Body.");
            await portal.CreateApprovedArticleAsync("backache-basics", "Backache basics", "Body.");
            await portal.CreateApprovedArticleAsync("back-stretches", "Back stretches", "Body.");
            var past = await portal.PublishAsync("Hyphens");
            await portal.ApproveNewVersionAsync("backache-basics", c => c with { Summary = "Newer." });
            await portal.PublishAsync("Later");
            var reader = portal.CreateClient();

            using var whole = JsonDocument.Parse(await reader.GetStringAsync($"/api/v1/snapshots/{past.Id}"));
            var expected = whole.RootElement.GetProperty("articles").EnumerateArray()
                .Concat(whole.RootElement.GetProperty("redFlagLists").EnumerateArray())
                .Select(i => i.GetProperty("slug").GetString()).ToList();
            Assert.True(expected.IndexOf("back-pain-at-work") < expected.IndexOf("backache-basics"), "the feed orders slugs ordinally");
            var read = new List<string?>();
            for (var after = 0; after < expected.Count; after += 2)
            {
                using var page = JsonDocument.Parse(await reader.GetStringAsync($"/api/v1/snapshots/{past.Id}/items?after={after}&limit=2"));
                read.AddRange(page.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("slug").GetString()));
            }

            Assert.Equal(expected, read);
        }
        finally
        {
            database.Delete();
        }
    }
}
