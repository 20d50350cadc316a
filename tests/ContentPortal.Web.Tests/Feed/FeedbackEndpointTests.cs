using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Feed;

/// <summary>POST /api/v1/feedback: public, cross-origin, bounded, rate limited; problem+json for every refusal.</summary>
public sealed class FeedbackEndpointTests(FeedbackEndpointTests.Unlimited shared) : IClassFixture<FeedbackEndpointTests.Unlimited>
{
    /// <summary>One app for the bounds table, with a limit it never reaches.</summary>
    public sealed class Unlimited : IAsyncDisposable
    {
        public PortalFactory App { get; } = FeedbackEndpointTests.App();

        public ValueTask DisposeAsync() => App.DisposeAsync();
    }

    internal static PortalFactory App(int perClient = 1000) =>
        new(new PortalOptions { Settings = new Dictionary<string, string> { ["Feedback:PerClient"] = perClient.ToString() } });

    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Feedback_on_a_published_document_is_accepted_from_any_origin_and_keeps_nothing_about_the_sender()
    {
        await using var app = App();
        using var client = app.CreateClient();
        var document = await app.DocumentAsync("disc-degeneration");

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/feedback");
        preflight.Headers.Add("Origin", "https://app.example.org");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
        var allowed = await client.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal("*", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", allowed.Headers.GetValues("Access-Control-Allow-Methods").Single());

        using var post = new HttpRequestMessage(HttpMethod.Post, "/api/v1/feedback")
        {
            Content = JsonContent.Create(new { slug = "disc-degeneration", snapshotId = 1, helpful = false, comment = "  The exercise advice is unclear.  ", section = "Exercise" }),
        };
        post.Headers.Add("Origin", "https://app.example.org");
        var accepted = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("*", accepted.Headers.GetValues("Access-Control-Allow-Origin").Single());

        var stored = await app.WithDbAsync(db => db.ReaderFeedback.AsNoTracking().SingleAsync());
        Assert.Equal(document.Id, stored.DocumentId);
        Assert.Equal(1, stored.SnapshotId);
        Assert.False(stored.Helpful);
        Assert.Equal("The exercise advice is unclear.", stored.Comment);
        Assert.Equal("Exercise", stored.Section);
        Assert.Equal(FeedbackStatus.New, stored.Status);
        var audit = await app.WithDbAsync(db => db.AuditTrail.AsNoTracking().SingleAsync(e => e.Action == AuditActions.FeedbackReceived));
        Assert.Equal("Reader feedback API", audit.ActorName);

        // Nothing in the row can name the sender: its columns are exactly these.
        var columns = await app.WithDbAsync(db => Task.FromResult(db.Model.FindEntityType(typeof(ReaderFeedback))!.GetProperties().Select(p => p.Name).Order().ToList()));
        Assert.Equal(["Comment", "DecidedAt", "DecidedByName", "DocumentId", "Helpful", "Id", "ReceivedAt", "Section", "Slug", "SnapshotId", "Status", "ThreadId"], columns);
    }

    [Theory]
    [InlineData("""{"slug":"disc-degeneration","helpful":true}""", HttpStatusCode.Accepted, null)]
    [InlineData("""{"slug":"disc-degeneration","helpful":true,"comment":"COMMENT1000"}""", HttpStatusCode.Accepted, null)]
    [InlineData("""{"slug":"disc-degeneration","helpful":true,"comment":"COMMENT1001"}""", HttpStatusCode.BadRequest, "A comment can be at most 1000 characters.")]
    [InlineData("""{"slug":"disc-degeneration"}""", HttpStatusCode.BadRequest, "Give the document's slug and helpful (true or false).")]
    [InlineData("""{"helpful":false}""", HttpStatusCode.BadRequest, "Give the document's slug and helpful (true or false).")]
    [InlineData("""{"slug":"disc-degeneration","helpful":"yes"}""", HttpStatusCode.BadRequest, "The body must be a JSON object")]
    [InlineData("""{"slug":"disc-degeneration","helpful":true,"email":"a@b.c"}""", HttpStatusCode.BadRequest, "The body must be a JSON object")]
    [InlineData("""not json""", HttpStatusCode.BadRequest, "The body must be a JSON object")]
    [InlineData("""{"slug":"disc-degeneration","helpful":true,"snapshotId":999}""", HttpStatusCode.BadRequest, "Snapshot 999 does not exist.")]
    [InlineData("""{"slug":"disc-degeneration","helpful":true,"snapshotId":0}""", HttpStatusCode.BadRequest, "A snapshot id is a positive whole number.")]
    [InlineData("""{"slug":"no-such-thing","helpful":true}""", HttpStatusCode.NotFound, "No published document has the slug \"no-such-thing\".")]
    public async Task Bounds_and_bad_input(string json, HttpStatusCode expected, string? detail)
    {
        var app = shared.App;
        using var client = app.CreateClient();
        json = json.Replace("COMMENT1000", new string('x', 1000)).Replace("COMMENT1001", new string('x', 1001));
        var before = await app.WithDbAsync(db => db.ReaderFeedback.CountAsync());

        var response = await client.PostAsync("/api/v1/feedback", JsonBody(json));

        Assert.Equal(expected, response.StatusCode);
        if (detail is not null)
        {
            await AssertProblemAsync(response, detail);
            Assert.Equal(before, await app.WithDbAsync(db => db.ReaderFeedback.CountAsync()));
        }
        else
        {
            Assert.Equal(before + 1, await app.WithDbAsync(db => db.ReaderFeedback.CountAsync()));
        }
    }

    [Fact]
    public async Task A_body_over_8_KB_is_refused_with_413_whether_or_not_it_says_its_length()
    {
        var app = shared.App;
        using var client = app.CreateClient();
        var before = await app.WithDbAsync(db => db.ReaderFeedback.CountAsync());
        var big = $$"""{"slug":"disc-degeneration","helpful":true,"section":"{{new string('x', 8200)}}"}""";

        var withLength = await client.PostAsync("/api/v1/feedback", JsonBody(big));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, withLength.StatusCode);
        await AssertProblemAsync(withLength, "The body can be at most 8192 bytes.");

        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        chunked.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/feedback") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        var withoutLength = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, withoutLength.StatusCode);

        var form = await client.PostAsync("/api/v1/feedback", new FormUrlEncodedContent([new("slug", "disc-degeneration")]));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        Assert.Equal(before, await app.WithDbAsync(db => db.ReaderFeedback.CountAsync()));
    }

    [Fact]
    public async Task Each_client_is_rate_limited_with_retry_after()
    {
        await using var app = App(perClient: 3);
        using var client = app.CreateClient();

        // Refused requests use up the limit too.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/v1/feedback", JsonBody("{}"))).StatusCode);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/v1/feedback", JsonBody("""{"slug":"disc-degeneration","helpful":true}"""))).StatusCode);
        }

        var limited = await client.PostAsync("/api/v1/feedback", JsonBody("""{"slug":"disc-degeneration","helpful":true}"""));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var retryAfter = int.Parse(limited.Headers.GetValues("Retry-After").Single());
        Assert.InRange(retryAfter, 1, 3600);
        await AssertProblemAsync(limited, "Too much feedback from this client");
        Assert.Equal(2, await app.WithDbAsync(db => db.ReaderFeedback.CountAsync()));
    }

    [Fact]
    public async Task The_endpoint_is_in_the_OpenAPI_document()
    {
        using var client = shared.App.CreateClient();

        using var openApi = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var post = openApi.RootElement.GetProperty("paths").GetProperty("/api/v1/feedback").GetProperty("post");
        Assert.True(post.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        foreach (var status in new[] { "202", "400", "404", "413", "415", "429" })
        {
            Assert.True(post.GetProperty("responses").TryGetProperty(status, out _), status);
        }
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, string detail)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith(detail, problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal((int)response.StatusCode, problem.RootElement.GetProperty("status").GetInt32());
    }
}
