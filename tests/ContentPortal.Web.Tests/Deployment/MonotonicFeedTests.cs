using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Deployment;

/// <summary>
/// Issue 31: two instances on one PostgreSQL database, behind a load balancer, and a consumer that carries
/// what it has seen (a snapshot id, an ETag, a webhook's changesUrl) is never answered with an older
/// snapshot or a 400 by the instance that has not heard of the publish yet. Polling is set to an hour, so
/// only the catch-up on request (and, in the last test, LISTEN/NOTIFY) can pass.
/// </summary>
[Trait("Category", "PostgreSQL")]
public sealed class MonotonicFeedTests : InstancesOnOneDatabase
{
    private const string Article = "lower-back-pain-when-lying-down";

    /// <summary>Two instances that poll once an hour; <paramref name="listen"/>: whether they LISTEN for publishes.</summary>
    private async Task<(PortalFactory A, PortalFactory B)> StartTwoAsync(bool listen = false)
    {
        var options = new PortalOptions
        {
            Settings = new Dictionary<string, string>
            {
                ["FeedFollower:PollSeconds"] = "3600",
                ["FeedFollower:Listen"] = listen ? "true" : "false",
            },
        };
        var a = Instance(options);
        _ = a.Services; // the first migrates and seeds
        var b = Instance(options);
        _ = b.Services;
        return (a, b);
    }

    private static async Task<Snapshot> PublishChangeAsync(PortalFactory instance, string summary)
    {
        await instance.ApproveNewVersionAsync(Article, c => c with { Summary = summary });
        return await instance.PublishAsync(summary);
    }

    [PostgresFact]
    public async Task Changes_since_a_snapshot_published_on_the_other_instance_catch_up_instead_of_400()
    {
        var (a, b) = await StartTwoAsync();
        await PublishChangeAsync(a, "Published on A.");
        Assert.Equal(1, b.Feed.Current!.SnapshotId);

        using var consumer = b.CreateClient();
        var since2 = await consumer.GetAsync("/api/v1/changes?since=2");

        Assert.Equal(HttpStatusCode.OK, since2.StatusCode);
        using var json = JsonDocument.Parse(await since2.Content.ReadAsStringAsync());
        Assert.Equal(2, json.RootElement.GetProperty("from").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("to").GetInt32());
        Assert.Equal(2, b.Feed.Current!.SnapshotId);
        // A snapshot no instance has published is still refused.
        Assert.Equal(HttpStatusCode.BadRequest, (await consumer.GetAsync("/api/v1/changes?since=3")).StatusCode);
    }

    [PostgresFact]
    public async Task If_None_Match_with_the_newer_snapshots_ETag_is_a_304_from_the_instance_that_had_not_seen_it()
    {
        var (a, b) = await StartTwoAsync();
        await PublishChangeAsync(a, "Published on A.");
        var fromA = await a.CreateClient().GetAsync("/api/v1/feed");
        var newerTag = fromA.Headers.ETag!;

        using var consumer = b.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/feed");
        request.Headers.IfNoneMatch.Add(newerTag);
        var answer = await consumer.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, answer.StatusCode);
        Assert.Equal(newerTag, answer.Headers.ETag);
        Assert.Equal(await fromA.Content.ReadAsByteArrayAsync(), await consumer.GetByteArrayAsync("/api/v1/feed"));
    }

    // Every representation and the item URLs carry their own ETags; each must catch up like the feed's JSON.
    [PostgresTheory]
    [InlineData("/api/v1/feed?format=fhir")]
    [InlineData("/api/v1/feed?format=jsonld")]
    [InlineData("/api/v1/articles/" + Article)]
    [InlineData("/api/v1/articles/" + Article + "?format=fhir")]
    [InlineData("/api/v1/articles/" + Article + "?format=jsonld")]
    [InlineData("/api/v1/items?kind=article&limit=5")]
    public async Task If_None_Match_with_a_newer_ETag_of_any_representation_is_a_304_from_the_instance_that_had_not_seen_it(string url)
    {
        var (a, b) = await StartTwoAsync();
        using var consumer = b.CreateClient();
        var olderBody = await consumer.GetByteArrayAsync(url);
        await PublishChangeAsync(a, "Published on A.");
        var fromA = await a.CreateClient().GetAsync(url);
        var newerTag = fromA.Headers.ETag!;
        var newerBody = await fromA.Content.ReadAsByteArrayAsync();
        Assert.NotEqual(olderBody, newerBody);

        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(newerTag);
        var answer = await consumer.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, answer.StatusCode);
        Assert.Equal(newerTag, answer.Headers.ETag);
        Assert.Equal(2, b.Feed.Current!.SnapshotId);
        Assert.Equal(newerBody, await consumer.GetByteArrayAsync(url));
    }

    [PostgresFact]
    public async Task A_made_up_or_older_ETag_is_answered_with_the_current_feed()
    {
        var (a, b) = await StartTwoAsync();
        using var consumer = b.CreateClient();
        var oldTag = (await consumer.GetAsync("/api/v1/feed")).Headers.ETag!;
        await PublishChangeAsync(a, "Published on A.");

        // Not a tag of any snapshot: B looks once, finds snapshot 2, and serves it.
        var madeUp = new HttpRequestMessage(HttpMethod.Get, "/api/v1/feed");
        madeUp.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"0123456789abcdef0123456789abcdef\""));
        var answer = await consumer.SendAsync(madeUp);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(2, JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("snapshot").GetProperty("id").GetInt32());

        var older = new HttpRequestMessage(HttpMethod.Get, "/api/v1/feed");
        older.Headers.IfNoneMatch.Add(oldTag);
        Assert.Equal(HttpStatusCode.OK, (await consumer.SendAsync(older)).StatusCode);
    }

    [PostgresFact]
    public async Task The_webhooks_changesUrl_names_the_new_snapshot_and_any_instance_answers_it()
    {
        var (a, b) = await StartTwoAsync();
        await a.WithDbAsync(async db =>
        {
            db.WebhookSubscriptions.Add(WebhookSubscription.Create("https://consumer.example.org/hook", TestActors.Admin, a.Now));
            await db.SaveChangesAsync();
        });
        var published = await PublishChangeAsync(a, "Announced by webhook.");

        var body = await a.WithDbAsync(db => db.WebhookDeliveries.AsNoTracking().Where(d => d.SnapshotId == published.Id).Select(d => d.Body).SingleAsync());
        var changesUrl = new Uri(JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("changesUrl").GetString()!);
        Assert.Equal($"?since={published.Id - 1}&to={published.Id}", changesUrl.Query);

        using var consumer = b.CreateClient();
        var answer = await consumer.GetAsync(changesUrl.PathAndQuery);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        Assert.Equal(published.Id, json.RootElement.GetProperty("to").GetInt32());
        var changed = Assert.Single(json.RootElement.GetProperty("changed").EnumerateArray());
        Assert.Equal(Article, changed.GetProperty("slug").GetString());
    }

    [PostgresFact]
    public async Task A_round_robin_reader_carrying_what_it_has_seen_never_sees_the_snapshot_id_go_down()
    {
        var (a, b) = await StartTwoAsync();
        using var viaA = a.CreateClient();
        using var viaB = b.CreateClient();
        using var stop = new CancellationTokenSource();
        var seen = new List<int>();

        // The reader alternates between the instances every few milliseconds, sending back the ETag it
        // got last and, every other poll, asking /changes since the id it has applied.
        var reader = Task.Run(async () =>
        {
            EntityTagHeaderValue? tag = null;
            int id = 0, poll = 0;
            while (!stop.IsCancellationRequested)
            {
                var client = poll++ % 2 == 0 ? viaA : viaB;
                if (id > 0 && poll % 4 < 2)
                {
                    var changes = await client.GetAsync($"/api/v1/changes?since={id}");
                    Assert.Equal(HttpStatusCode.OK, changes.StatusCode);
                    id = JsonDocument.Parse(await changes.Content.ReadAsStringAsync()).RootElement.GetProperty("to").GetInt32();
                }
                else
                {
                    var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/feed");
                    if (tag is not null)
                    {
                        request.Headers.IfNoneMatch.Add(tag);
                    }

                    var answer = await client.SendAsync(request);
                    if (answer.StatusCode == HttpStatusCode.OK)
                    {
                        id = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("snapshot").GetProperty("id").GetInt32();
                    }
                    else
                    {
                        Assert.Equal(HttpStatusCode.NotModified, answer.StatusCode);
                    }

                    tag = answer.Headers.ETag;
                }

                lock (seen)
                {
                    seen.Add(id);
                }

                await Task.Delay(5);
            }
        });

        for (var i = 1; i <= 4; i++)
        {
            await PublishChangeAsync(a, $"Round-robin change {i}.");
            await Task.Delay(100);
        }

        await Task.Delay(200);
        await stop.CancelAsync();
        await reader;

        List<int> ids;
        lock (seen)
        {
            ids = [.. seen];
        }

        Assert.True(ids.Count > 20, $"The reader polled only {ids.Count} times.");
        var wentDown = ids.Zip(ids.Skip(1)).Count(pair => pair.Second < pair.First);
        Assert.True(wentDown == 0, $"The snapshot id went down {wentDown} times: {string.Join(",", ids)}");
        Assert.Equal(5, ids[^1]);
    }

    [PostgresFact]
    public async Task With_LISTEN_NOTIFY_the_other_instance_serves_a_publish_within_a_second_without_being_asked()
    {
        var (a, b) = await StartTwoAsync(listen: true);
        // Both listeners are connected once each has loaded what it missed while connecting.
        await Task.Delay(500);

        await PublishChangeAsync(a, "Announced by NOTIFY.");
        var watch = Stopwatch.StartNew();
        while (b.Feed.Current!.SnapshotId != 2 && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(5);
        }

        Assert.Equal(2, b.Feed.Current!.SnapshotId);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"Instance B served snapshot 2 after {watch.Elapsed.TotalMilliseconds:0} ms.");
    }
}
