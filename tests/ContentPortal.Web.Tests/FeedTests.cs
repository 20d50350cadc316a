using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ContentPortal.Web.Tests.Infrastructure;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests;

/// <summary>GET /api/v1/feed: anonymous JSON with a strong ETag and conditional GET.</summary>
public sealed class FeedTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task The_feed_is_json_with_a_strong_etag_and_public_caching()
    {
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
}

/// <summary>An environment other than Development: nothing seeded, so nothing published yet.</summary>
public sealed class FeedBeforePublishTests(EmptyPortalFactory factory) : IClassFixture<EmptyPortalFactory>
{
    [Fact]
    public async Task Before_any_publish_the_feed_is_404_problem_json()
    {
        using var client = factory.NewClient();
        var response = await client.Http.GetAsync("/api/v1/feed");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Headers.ETag);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("Nothing has been published yet", problem.RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Outside_development_the_app_starts_migrated_with_roles_but_no_demo_users_or_content()
    {
        using var client = factory.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/health")).StatusCode);
        Assert.True(File.Exists(factory.DatabasePath));

        Assert.Equal(0, await factory.WithDbAsync(db => Task.FromResult(db.Users.Count())));
        Assert.Equal(0, await factory.WithDbAsync(db => Task.FromResult(db.Documents.Count())));
        Assert.Equal(4, await factory.WithDbAsync(db => Task.FromResult(db.Roles.Count())));
        Assert.Empty(await factory.SnapshotIdsAsync());

        var login = await client.TryLoginAsync(Editor, Password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("The email or password is not right.", (await HtmlPage.ReadAsync(login)).Summary);
    }
}
