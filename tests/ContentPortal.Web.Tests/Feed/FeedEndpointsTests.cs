using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests.Feed;

/// <summary>
/// Every public endpoint (FeedEndpoints): status, headers, bytes, and the JSON Schema. Each test gets a
/// fresh app on a fake clock; the tests that publish through the pages start their own (system clock).
/// </summary>
public sealed class FeedEndpointsTests : FeedAppTests
{
    private const string Article = "lower-back-pain-when-lying-down";
    private const string RedFlagList = "lower-back-pain-when-to-see-a-doctor";

    public static TheoryData<string, string?> OkUrls => new()
    {
        { "/api/v1/feed", null },
        { "/api/v1/snapshots", "snapshotList" },
        { "/api/v1/snapshots?page=1&pageSize=100", "snapshotList" },
        { "/api/v1/snapshots/1", null },
        { $"/api/v1/articles/{Article}", "article" },
        { $"/api/v1/red-flag-lists/{RedFlagList}", "redFlagList" },
        { "/api/v1/changes?since=0", "changes" },
        { "/api/v1/changes?since=1", "changes" },
        { "/api/v1/changes?since=0&to=1", "changes" },
    };

    [Theory]
    [MemberData(nameof(OkUrls))]
    public async Task Answers_200_with_validators_cors_and_a_schema_valid_body(string url, string? definition)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Origin", "https://app.example");
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches("^\"[0-9a-f]{32}\"$", response.Headers.ETag?.ToString());
        Assert.False(response.Headers.ETag!.IsWeak);
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("ETag", response.Headers.GetValues("Access-Control-Expose-Headers").Single());
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Equal(url.StartsWith("/api/v1/snapshots/", StringComparison.Ordinal) ? "public, max-age=31536000, immutable" : "public, max-age=60", response.Headers.CacheControl?.ToString());
        var body = await response.Content.ReadAsStringAsync();
        FeedSchemaCheck.AssertValid(await FeedSchemaCheck.LoadAsync(client), body, definition);
    }

    [Theory]
    [MemberData(nameof(OkUrls))]
    public async Task If_none_match_with_any_representations_etag_answers_304_without_a_body(string url, string? definition)
    {
        _ = definition;
        foreach (var encoding in new[] { "identity", "gzip", "br" })
        {
            var first = new HttpRequestMessage(HttpMethod.Get, url);
            first.Headers.AcceptEncoding.ParseAdd(encoding);
            var etag = (await client.SendAsync(first)).Headers.ETag!;

            var again = new HttpRequestMessage(HttpMethod.Get, url);
            again.Headers.IfNoneMatch.Add(etag);
            var response = await client.SendAsync(again);

            Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
            Assert.NotNull(response.Headers.ETag);
        }

        var stale = new HttpRequestMessage(HttpMethod.Get, url);
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"0123456789abcdef0123456789abcdef\""));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(stale)).StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/feed")]
    [InlineData("/api/v1/snapshots/1")]
    [InlineData($"/api/v1/articles/{Article}")]
    [InlineData("/api/v1/changes?since=0")]
    [InlineData("/api/v1/feed/schema.json")]
    public async Task Gzip_and_brotli_carry_the_same_bytes_under_their_own_strong_etags(string url)
    {
        var plain = await client.GetByteArrayAsync(url);
        var tags = new HashSet<string>();
        foreach (var (encoding, decode) in new (string, Func<Stream, Stream>)[]
                 {
                     ("gzip", s => new GZipStream(s, CompressionMode.Decompress)),
                     ("br", s => new BrotliStream(s, CompressionMode.Decompress)),
                 })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.AcceptEncoding.ParseAdd(encoding);
            var response = await client.SendAsync(request);
            Assert.Equal(encoding, response.Content.Headers.ContentEncoding.Single());
            var compressed = await response.Content.ReadAsByteArrayAsync();
            Assert.True(compressed.Length < plain.Length, $"{encoding} is not smaller");
            using var decoded = new MemoryStream();
            await decode(new MemoryStream(compressed)).CopyToAsync(decoded);
            Assert.Equal(plain, decoded.ToArray());
            tags.Add(response.Headers.ETag!.Tag);
        }

        var identity = await client.GetAsync(url);
        tags.Add(identity.Headers.ETag!.Tag);
        Assert.Equal(3, tags.Count);
        Assert.Empty(identity.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task Brotli_refused_with_q0_falls_back_to_gzip()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/feed");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "br;q=0, gzip");

        var response = await client.SendAsync(request);

        Assert.Equal("gzip", response.Content.Headers.ContentEncoding.Single());
    }

    [Fact]
    public async Task A_snapshot_is_byte_identical_every_time_and_after_newer_publishes()
    {
        var before = await client.GetByteArrayAsync("/api/v1/snapshots/1");
        var feedBefore = await client.GetByteArrayAsync("/api/v1/feed");
        var etag = (await client.GetAsync("/api/v1/snapshots/1")).Headers.ETag;

        await app.ApproveNewVersionAsync(Article, c => c with { Title = "Lower back pain at night" });
        var second = await app.PublishAsync("Retitled");

        Assert.Equal(before, feedBefore);
        Assert.Equal(before, await client.GetByteArrayAsync("/api/v1/snapshots/1"));
        Assert.Equal(etag, (await client.GetAsync("/api/v1/snapshots/1")).Headers.ETag);
        var secondBytes = await app.ExpectedFeedAsync(second);
        Assert.Equal(secondBytes, await client.GetByteArrayAsync("/api/v1/feed"));
        Assert.Equal(secondBytes, await client.GetByteArrayAsync($"/api/v1/snapshots/{second.Id}"));
        Assert.NotEqual(before, secondBytes);
        Assert.NotEqual(etag?.Tag, (await client.GetAsync("/api/v1/feed")).Headers.ETag?.Tag);
        var feed = JsonNode.Parse(await client.GetStringAsync("/api/v1/feed"))!;
        Assert.Equal(2, feed["snapshot"]!["id"]!.GetValue<int>());
        Assert.Equal("Retitled", feed["snapshot"]!["note"]!.GetValue<string>());
    }

    [Fact]
    public async Task Items_carry_change_notes_and_sections_split_at_headings()
    {
        await app.ApproveNewVersionAsync(Article, c => c with
        {
            BodyMarkdown = "Intro with *emphasis*.\n\n# First part\n\nOne.\n\n### Detail\n\nStill one.\n\nSecond part\n-----------\n\nTwo <script>alert(1)</script>.\n",
        }, "Split the body into parts");
        await app.PublishAsync();

        var item = JsonNode.Parse(await client.GetStringAsync($"/api/v1/articles/{Article}"))!;

        Assert.Equal("Split the body into parts", item["changeNote"]!.GetValue<string>());
        Assert.Equal("article", item["kind"]!.GetValue<string>());
        var sections = item["sections"]!.AsArray().Select(s => (s!["position"]!.GetValue<int>(), s["headline"]!.GetValue<string>(), s["text"]!.GetValue<string>())).ToList();
        Assert.Equal(3, sections.Count);
        Assert.Equal((1, "", "<p>Intro with <em>emphasis</em>.</p>"), sections[0]);
        Assert.Equal((2, "First part"), (sections[1].Item1, sections[1].Item2));
        Assert.Contains("<h3>Detail</h3>", sections[1].Item3);
        Assert.Contains("<p>Still one.</p>", sections[1].Item3);
        Assert.Equal((3, "Second part"), (sections[2].Item1, sections[2].Item2));
        Assert.DoesNotContain("<script", sections[2].Item3);
        Assert.Contains("&lt;script&gt;", sections[2].Item3);
    }

    [Fact]
    public async Task Changes_since_lists_added_changed_and_removed()
    {
        await app.ApproveNewVersionAsync(Article, c => c with { Summary = "A new summary." });
        var added = await app.CreateApprovedArticleAsync("neck-pain", "Neck pain", "## Causes\n\nMany.");
        var retired = await app.WithDbAsync(db => Task.FromResult(db.Documents.Single(d => d.Slug == "spinal-tumor").Id));
        await app.RetireAsync("spinal-tumor");
        await app.PublishAsync("Three kinds of change");

        var json = await client.GetStringAsync("/api/v1/changes?since=1");
        var changes = JsonNode.Parse(json)!;

        FeedSchemaCheck.AssertValid(await FeedSchemaCheck.LoadAsync(client), json, "changes");
        Assert.Equal((1, 2), (changes["from"]!.GetValue<int>(), changes["to"]!.GetValue<int>()));
        var addedItem = Assert.Single(changes["added"]!.AsArray());
        Assert.Equal((added.Id.ToString(), "neck-pain"), (addedItem!["id"]!.GetValue<string>(), addedItem["slug"]!.GetValue<string>()));
        var changedItem = Assert.Single(changes["changed"]!.AsArray());
        Assert.Equal((Article, 2, "A new summary."), (changedItem!["slug"]!.GetValue<string>(), changedItem["version"]!.GetValue<int>(), changedItem["summary"]!.GetValue<string>()));
        var removed = Assert.Single(changes["removed"]!.AsArray());
        Assert.Equal(JsonNode.Parse($$"""{"id":"{{retired}}","kind":"article","slug":"spinal-tumor"}""")!.ToJsonString(), removed!.ToJsonString());

        // The changed item is exactly the item the feed serves.
        Assert.Equal(await client.GetStringAsync($"/api/v1/articles/{Article}"), changedItem.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        await AssertProblemAsync("/api/v1/articles/spinal-tumor", HttpStatusCode.NotFound);
        var everything = JsonNode.Parse(await client.GetStringAsync("/api/v1/changes?since=0"))!;
        Assert.Equal(6, everything["added"]!.AsArray().Count);
        Assert.Empty(everything["removed"]!.AsArray());
    }

    [Fact]
    public async Task Snapshot_list_is_newest_first_and_paged()
    {
        for (var i = 2; i <= 4; i++)
        {
            await app.ApproveNewVersionAsync(Article, c => c with { Summary = $"Summary {i}." });
            await app.PublishAsync($"Publish {i}");
        }

        var page1 = JsonNode.Parse(await client.GetStringAsync("/api/v1/snapshots?pageSize=3"))!;
        var page2 = JsonNode.Parse(await client.GetStringAsync("/api/v1/snapshots?page=2&pageSize=3"))!;
        var beyond = JsonNode.Parse(await client.GetStringAsync("/api/v1/snapshots?page=9&pageSize=3"))!;

        Assert.Equal([4, 3, 2], page1["snapshots"]!.AsArray().Select(s => s!["id"]!.GetValue<int>()));
        Assert.Equal([1], page2["snapshots"]!.AsArray().Select(s => s!["id"]!.GetValue<int>()));
        Assert.Empty(beyond["snapshots"]!.AsArray());
        Assert.Equal(4, page1["current"]!.GetValue<int>());
        var top = page1["snapshots"]![0]!;
        Assert.Equal(("Publish 4", "Tess Publisher", 6, "/api/v1/snapshots/4"), (top["note"]!.GetValue<string>(), top["publishedBy"]!.GetValue<string>(), top["documents"]!.GetValue<int>(), top["url"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("/api/v1/snapshots/99", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/snapshots/0", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/snapshots/-1", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/snapshots/abc", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/articles/no-such-article", HttpStatusCode.NotFound)]
    [InlineData($"/api/v1/articles/{RedFlagList}", HttpStatusCode.NotFound)]
    [InlineData($"/api/v1/red-flag-lists/{Article}", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/changes", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/changes?since=", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/changes?since=abc", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/changes?since=-1", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/changes?since=1.5", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/changes?since=2", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/changes?since=99999999999", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/changes?since=1&since=0", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/changes?since=1&to=0", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/changes?since=0&to=x", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/changes?since=0&to=1&to=1", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/changes?since=1&to=2", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/snapshots?page=0", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/snapshots?page=x", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/snapshots?pageSize=0", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/snapshots?pageSize=101", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/no-such-endpoint", HttpStatusCode.NotFound)]
    public async Task Unknown_things_are_404_and_bad_queries_400_as_problem_json(string url, HttpStatusCode status) =>
        await AssertProblemAsync(url, status);

    [Fact]
    public async Task Nothing_published_yet_is_a_404_problem_everywhere()
    {
        await using var empty = new PortalFactory(new PortalOptions { Environment = "Production" });
        var emptyClient = empty.CreateClient();
        foreach (var url in new[] { "/api/v1/feed", "/api/v1/snapshots", $"/api/v1/articles/{Article}", "/api/v1/changes?since=0" })
        {
            var response = await emptyClient.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Nothing has been published yet", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.OK, (await emptyClient.GetAsync("/api/v1/feed/schema.json")).StatusCode);
    }

    [Fact]
    public async Task Before_any_publish_the_feed_is_404_problem_json()
    {
        await using var empty = new PortalFactory(new PortalOptions { Environment = "Testing" });
        using var client = empty.NewClient();
        var response = await client.Http.GetAsync("/api/v1/feed");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Headers.ETag);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("Nothing has been published yet", problem.RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task The_feed_leaks_no_emails_drafts_or_reviewer_data()
    {
        await app.WithDbAsync(async db =>
        {
            var editor = new Actor("e", "Ed", new HashSet<string> { Roles.Editor });
            var document = db.Documents.Single(d => d.Slug == Article);
            var draft = document.OpenDraft(editor, app.Now, out _);
            document.Edit(draft, draft.CurrentContent() with { BodyMarkdown = "DRAFT-ONLY-TEXT-Q7" }, "draft", draft.Revision, editor, app.Now);
            await db.SaveChangesAsync();
        });
        await app.ApproveNewVersionAsync("spinal-tumor", c => c with { Summary = "Approved summary." });
        await app.PublishAsync();

        foreach (var url in new[] { "/api/v1/feed", "/api/v1/snapshots", "/api/v1/snapshots/2", $"/api/v1/articles/{Article}", "/api/v1/changes?since=0" })
        {
            var body = await client.GetStringAsync(url);
            Assert.DoesNotContain("@", body.Replace("\"@", "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.DoesNotContain("DRAFT-ONLY-TEXT-Q7", body);
            // Signatures carry the reviewer's full name and role (21 CFR 11.50), never their user id or email.
            Assert.DoesNotContain("test-reviewer", body);
            Assert.DoesNotContain("test-publisher", body);
        }
    }

    [Fact]
    public async Task Head_answers_headers_without_a_body()
    {
        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/v1/feed"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Cors_preflight_allows_if_none_match_from_any_origin()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/feed");
        request.Headers.Add("Origin", "https://app.example");
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "if-none-match");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("If-None-Match", response.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_schema_is_served_as_committed_and_rejects_wrong_documents()
    {
        var served = await client.GetStringAsync("/api/v1/feed/schema.json");
        var committed = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "src/ContentPortal.Web/Feed/feed.schema.json"));
        Assert.Equal(committed, served);

        var schema = await FeedSchemaCheck.LoadAsync(client);
        var feed = await client.GetStringAsync("/api/v1/feed");
        FeedSchemaCheck.AssertValid(schema, feed);
        FeedSchemaCheck.AssertInvalid(schema, feed.Replace("\"schemaVersion\":1", "\"schemaVersion\":2"));
        FeedSchemaCheck.AssertInvalid(schema, feed.Replace("\"urgency\":\"urgent\"", "\"urgency\":\"soon\""));
        FeedSchemaCheck.AssertInvalid(schema, feed.Replace("\"contentHash\":\"sha256:", "\"contentHash\":\"md5:"));
        FeedSchemaCheck.AssertInvalid(schema, """{"from":0,"to":1,"added":[{"kind":"article"}],"changed":[],"removed":[]}""", "changes");
    }

    [Fact]
    public async Task OpenApi_describes_every_feed_endpoint()
    {
        var openApi = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;

        var paths = openApi["paths"]!.AsObject().Select(p => p.Key).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "/api/v1/feed", "/api/v1/feed/schema.json", "/api/v1/snapshots", "/api/v1/snapshots/{id}",
            "/api/v1/articles/{slug}", "/api/v1/red-flag-lists/{slug}", "/api/v1/changes",
        }, paths);
        Assert.DoesNotContain(paths, p => !p.StartsWith("/api/v1/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_feed_is_json_with_a_strong_etag_and_public_caching()
    {
        await using var factory = new PortalFactory();
        using var client = factory.NewClient();
        var response = await client.Http.GetAsync("/api/v1/feed");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var etag = response.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
        Assert.Matches("^\"[0-9a-f]{32}\"$", etag.Tag);
        Assert.DoesNotContain("W/", response.Headers.GetValues("ETag").Single(), StringComparison.Ordinal);
        var cache = response.Headers.CacheControl;
        Assert.NotNull(cache);
        Assert.True(cache.Public);
        Assert.Equal(TimeSpan.FromSeconds(60), cache.MaxAge);
        Assert.NotNull(response.Content.Headers.LastModified);

        using var feed = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(1, feed.RootElement.GetProperty("schemaVersion").GetInt32());
        Assert.True(feed.RootElement.GetProperty("snapshot").GetProperty("id").GetInt32() >= 1);
        Assert.NotEmpty(feed.RootElement.GetProperty("articles").EnumerateArray());
    }

    [Fact]
    public async Task If_none_match_with_the_current_etag_gets_304_with_no_body()
    {
        await using var factory = new PortalFactory();
        using var client = factory.NewClient();
        var first = await client.Http.GetAsync("/api/v1/feed");
        var etag = first.Headers.ETag!;

        foreach (var ifNoneMatch in new[] { etag.Tag, $"W/{etag.Tag}", $"\"other\", {etag.Tag}", "*" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/feed");
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
            var response = await client.Http.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.NotModified, $"If-None-Match: {ifNoneMatch} gave {response.StatusCode}");
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(etag, response.Headers.ETag);
        }

        using var stale = new HttpRequestMessage(HttpMethod.Get, "/api/v1/feed");
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"0123456789abcdef0123456789abcdef\""));
        Assert.Equal(HttpStatusCode.OK, (await client.Http.SendAsync(stale)).StatusCode);
    }

    [Fact]
    public async Task After_a_new_publish_the_etag_changes_and_the_old_one_gets_the_new_feed()
    {
        await using var factory = new PortalFactory();
        using var anonymous = factory.NewClient();
        var before = await anonymous.Http.GetAsync("/api/v1/feed");
        var oldTag = before.Headers.ETag!;
        using var oldFeed = JsonDocument.Parse(await before.Content.ReadAsStringAsync());
        var oldId = oldFeed.RootElement.GetProperty("snapshot").GetProperty("id").GetInt32();

        var document = await factory.DocumentAsync("spinal-tumor");
        using (var editor = await factory.LoginAsync(Editor))
        {
            await editor.SubmitAsync(document.Id, "New sentence.", form =>
                form.Set("Input.Body", form.Get("Input.Body") + "\n\nFeed test sentence.\n"));
        }

        using (var reviewer = await factory.LoginAsync(Reviewer))
        {
            await reviewer.ApproveAsync((await factory.DocumentAsync(document.Id)).Latest.Id);
        }

        using (var publisher = await factory.LoginAsync(Publisher))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await publisher.PublishAsync("Feed test.")).StatusCode);
        }

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/api/v1/feed");
        conditional.Headers.IfNoneMatch.Add(oldTag);
        var after = await anonymous.Http.SendAsync(conditional);

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        var newTag = after.Headers.ETag!;
        Assert.NotEqual(oldTag.Tag, newTag.Tag);
        Assert.False(newTag.IsWeak);
        using var newFeed = JsonDocument.Parse(await after.Content.ReadAsStringAsync());
        Assert.Equal(oldId + 1, newFeed.RootElement.GetProperty("snapshot").GetProperty("id").GetInt32());
        var article = newFeed.RootElement.GetProperty("articles").EnumerateArray().Single(a => a.GetProperty("slug").GetString() == "spinal-tumor");
        Assert.Contains("Feed test sentence.", article.GetProperty("bodyMarkdown").GetString());

        using var current = new HttpRequestMessage(HttpMethod.Get, "/api/v1/feed");
        current.Headers.IfNoneMatch.Add(newTag);
        Assert.Equal(HttpStatusCode.NotModified, (await anonymous.Http.SendAsync(current)).StatusCode);
    }

    private async Task AssertProblemAsync(string url, HttpStatusCode status)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));
        FeedSchemaCheck.AssertValid(await FeedSchemaCheck.LoadAsync(client), problem.ToJsonString(), "problem");
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ContentPortal.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("ContentPortal.sln not found above the test binaries.");
    }

    [Fact]
    public async Task Distinct_page_and_pageSize_values_do_not_grow_the_cache_without_bound()
    {
        for (var page = 1; page <= 30; page++)
        {
            for (var size = 1; size <= 10; size++)
            {
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/snapshots?page={page}&pageSize={size}")).StatusCode);
            }
        }

        var derived = app.Feed.Current!.Derived;
        Assert.True(derived.Count >= 1);
        Assert.InRange(derived.HeldBytes, 1, derived.BudgetBytes);
        // Past the cap, answers are still right, only not kept.
        var json = JsonNode.Parse(await client.GetStringAsync("/api/v1/snapshots?page=1&pageSize=7"))!;
        Assert.Equal(7, json["pageSize"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("POST", "/api/v1/feed")]
    [InlineData("PUT", "/api/v1/feed")]
    [InlineData("DELETE", "/api/v1/snapshots/1")]
    [InlineData("PATCH", "/api/v1/articles/lower-back-pain-when-lying-down")]
    [InlineData("POST", "/api/v1/no-such-thing")]
    public async Task Other_verbs_answer_405_with_allow(string verb, string url)
    {
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(verb), url));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow.Order().ToArray());
    }
}
