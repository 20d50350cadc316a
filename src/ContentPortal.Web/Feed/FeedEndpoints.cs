using Microsoft.Net.Http.Headers;

namespace ContentPortal.Web.Feed;

/// <summary>The public, anonymous JSON feed for downstream apps (contract: docs/feed.md).</summary>
public static class FeedEndpoints
{
    public static void MapFeed(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").AllowAnonymous();
        api.MapGet("/feed", (HttpContext context, PublishedFeed published) =>
        {
            if (published.Current is not { } feed)
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status404NotFound,
                    title: "Nothing has been published yet",
                    detail: "The feed appears once a publisher publishes the first snapshot.");
            }

            var headers = context.Response.Headers;
            headers.ETag = feed.ETag;
            headers.CacheControl = "public, max-age=60";
            headers.LastModified = feed.PublishedAt.ToString("R");
            if (Matches(context.Request.Headers.IfNoneMatch, feed.ETag))
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }

            return Results.Bytes(feed.Json, "application/json; charset=utf-8");
        });
    }

    private static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag)
    {
        if (ifNoneMatch.Count == 0 || !EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags))
        {
            return false;
        }

        var current = EntityTagHeaderValue.Parse(etag);
        // If-None-Match uses the weak comparison (RFC 9110 §13.1.2).
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
    }
}
