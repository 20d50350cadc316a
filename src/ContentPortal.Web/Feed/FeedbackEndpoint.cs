using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using ContentPortal.Domain;
using ContentPortal.Web.Data;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Feed;

/// <summary>What a downstream app sends when a reader says whether a published document helped.</summary>
public sealed record FeedbackRequest(string? Slug, int? SnapshotId, bool? Helpful, string? Comment, string? Section);

/// <summary>
/// <c>POST /api/v1/feedback</c>: public, cross-origin like the feed, answers 202. Bounded: a body of at most
/// 8 KB (413), a comment of at most 1,000 characters, and a per-client rate limit (429 with Retry-After).
/// The client is known only by a hash of its address salted with a random value that changes every UTC day,
/// held in memory for the rate limit; nothing about the sender is stored.
/// </summary>
public static class FeedbackEndpoint
{
    public const string CorsPolicy = "PublicFeedback";
    public const int MaxBodyBytes = 8 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static IServiceCollection AddReaderFeedback(this IServiceCollection services)
    {
        services.AddSingleton<FeedbackThrottle>();
        services.Configure<CorsOptions>(options => options.AddPolicy(CorsPolicy, policy => policy
            .AllowAnyOrigin()
            .WithMethods(HttpMethods.Post)
            .WithHeaders("Content-Type")
            .WithExposedHeaders("Retry-After")
            .SetPreflightMaxAge(TimeSpan.FromDays(1))));
        return services;
    }

    public static void MapReaderFeedback(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/feedback", ReceiveAsync)
            .AllowAnonymous()
            .RequireCors(CorsPolicy)
            .WithTags("Feedback")
            .WithSummary("A reader's feedback on a published document: {slug, snapshotId?, helpful, comment? (at most 1,000 characters), section?}; body at most 8 KB; rate limited per client")
            // The body is declared for OpenAPI only. Accepts() would take part in routing: a preflight or a wrong
            // content type would then fall through to the API's read-only catch-all (405) instead of this handler.
            .AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
            {
                operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(FeedbackRequest), null, cancellationToken) },
                    },
                };

                // Problems are the feed's own problem schema (feed.schema.json's $defs/problem), as on every other route.
                operation.Responses ??= [];
                foreach (var (status, description) in Problems)
                {
                    operation.Responses[status] = FeedOpenApi.Problem(description, context.Document);
                }
            })
            .Produces(StatusCodes.Status202Accepted);

    private static readonly (string Status, string Description)[] Problems =
    [
        ("400", "Bad request: a field is missing, unknown or out of bounds (the detail says which)."),
        ("404", "Not found: no published document has that slug."),
        ("413", "The body is larger than 8 KB."),
        ("415", "The body is not application/json."),
        ("429", "Too many requests from this client: try again after Retry-After seconds."),
    ];

    private static async Task<IResult> ReceiveAsync(HttpContext context, FeedbackThrottle throttle, PortalDbContext db, TimeProvider clock)
    {
        context.Response.Headers.CacheControl = "no-store";
        var now = clock.GetUtcNow().UtcDateTime;
        // Every request counts, refused ones too: the limit is what protects the queue.
        if (throttle.RetryAfter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", now) is { } wait)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problem(StatusCodes.Status429TooManyRequests, "Too many requests", "Too much feedback from this client; try again after the time in Retry-After.");
        }

        if (!context.Request.HasJsonContentType())
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the feedback as application/json.");
        }

        if (context.Request.ContentLength > MaxBodyBytes || await ReadBoundedAsync(context.Request.Body, context.RequestAborted) is not { } body)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Body too large", $"The body can be at most {MaxBodyBytes} bytes.");
        }

        FeedbackRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<FeedbackRequest>(body, Json);
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request is null)
        {
            return BadRequest("The body must be a JSON object: {\"slug\", \"snapshotId\"?, \"helpful\", \"comment\"?, \"section\"?}.");
        }

        if (string.IsNullOrWhiteSpace(request.Slug) || request.Helpful is not { } helpful)
        {
            return BadRequest("Give the document's slug and helpful (true or false).");
        }

        var slug = request.Slug.Trim();
        var document = await db.Documents.AsNoTracking()
            .Where(d => d.Slug == slug && d.PublishedVersionId != null)
            .Select(d => new { d.Id, d.Slug })
            .FirstOrDefaultAsync(context.RequestAborted);
        if (document is null)
        {
            return Problem(StatusCodes.Status404NotFound, "No such document", $"No published document has the slug \"{Truncate(slug)}\".");
        }

        if (request.SnapshotId is > 0 and var snapshotId && !await db.Snapshots.AnyAsync(s => s.Id == snapshotId, context.RequestAborted))
        {
            return BadRequest($"Snapshot {snapshotId} does not exist.");
        }

        try
        {
            db.ReaderFeedback.Add(ReaderFeedback.Receive(document.Id, document.Slug, request.SnapshotId, helpful, request.Comment, request.Section, now));
        }
        catch (InvalidContentException invalid)
        {
            return BadRequest(string.Join(" ", invalid.Errors.Values));
        }

        await db.SaveChangesAsync(context.RequestAborted);
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    /// <summary>The body, or null when it is longer than <see cref="MaxBodyBytes"/> (a chunked body has no length to check first).</summary>
    private static async Task<byte[]?> ReadBoundedAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxBodyBytes + 1];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await body.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }

        return read > MaxBodyBytes ? null : buffer[..read];
    }

    private static string Truncate(string text) => text.Length <= 100 ? text : text[..100] + "…";

    private static IResult BadRequest(string detail) => Problem(StatusCodes.Status400BadRequest, "Bad request", detail);

    private static IResult Problem(int status, string title, string detail) => Results.Problem(statusCode: status, title: title, detail: detail);
}

/// <summary>
/// The per-client limit of the feedback API (Feedback:PerClient requests per Feedback:WindowMinutes, default
/// 10 per 60 minutes), with ASP.NET Core's rate limiters. The client is a SHA-256 of its address and a random
/// salt made afresh each UTC day, so even this memory cannot be joined to an address the next day; idle
/// partitions are dropped by the limiter itself.
/// </summary>
public sealed class FeedbackThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter;
    private readonly TimeSpan window;
    private (DateOnly Day, byte[] Salt) salt = (DateOnly.MinValue, []);

    public FeedbackThrottle(IConfiguration configuration)
    {
        window = TimeSpan.FromMinutes(configuration.GetValue("Feedback:WindowMinutes", 60.0));
        var permits = Math.Max(1, configuration.GetValue("Feedback:PerClient", 10));
        limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Takes one permit for this client; how long it must wait when none is left, else null.</summary>
    public TimeSpan? RetryAfter(string address, DateTime now)
    {
        using var lease = limiter.AttemptAcquire(ClientKey(address, now));
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? wait : window;
    }

    /// <summary>The day-salted hash the limit is kept under.</summary>
    public string ClientKey(string address, DateTime now)
    {
        var today = DateOnly.FromDateTime(now);
        var current = salt;
        if (current.Day != today)
        {
            current = (today, RandomNumberGenerator.GetBytes(32));
            salt = current;
        }

        return Convert.ToHexString(HMACSHA256.HashData(current.Salt, Encoding.UTF8.GetBytes(address)));
    }

    public void Dispose() => limiter.Dispose();
}
