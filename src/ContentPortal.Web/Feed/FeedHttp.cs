using System.Buffers;
using System.Globalization;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace ContentPortal.Web.Feed;

/// <summary>
/// HTTP caching and encoding of the feed's ready-made bytes: validators and 304, Cache-Control, the
/// encoding the client prefers, the pieces written without joining them, and the hot path for /api/v1/feed.
/// </summary>
public static class FeedHttp
{
    public const string ShortCache = "public, max-age=60";
    public const string Immutable = "public, max-age=31536000, immutable";

    /// <summary>Detached compact JWS (ES256) over the identity body; keys at /.well-known/jwks.json (issue 25).</summary>
    public const string SignatureHeader = "Feed-Signature";

    /// <summary>
    /// The hot path: GET /api/v1/feed answered first thing in the pipeline (before static files, routing and
    /// authentication, none of which it needs), with the same headers the endpoint sends. Everything else
    /// (and the no-snapshot-yet 404) goes through the endpoints.
    /// </summary>
    public static IApplicationBuilder UseFeedFastPath(this IApplicationBuilder app)
    {
        // Singletons: taken once here, so a request never creates a service scope. The follower is there on
        // PostgreSQL only (several instances).
        var published = app.ApplicationServices.GetRequiredService<PublishedFeed>();
        var follower = app.ApplicationServices.GetService<FeedFollower>();
        return app.Use((context, next) =>
        {
        var request = context.Request;
        if (!request.Path.Equals("/api/v1/feed", StringComparison.Ordinal)
            || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || published.Current is not { } feed
            || !FeedFormats.WantsPlainJson(request))
        {
            return next(context);
        }

        // A tag this instance has not served may be a snapshot another instance just published: catch up
        // before answering, so the consumer gets that snapshot (or a 304), never an older one.
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (follower is not null && ifNoneMatch.Count > 0 && !Matches(ifNoneMatch, feed.Feed) && follower.MayBeNewer(ifNoneMatch, feed))
        {
            return CaughtUpAsync(context, follower, ifNoneMatch, feed);
        }

        return ServeFeed(context, feed).ExecuteAsync(context);
        });
    }

    private static async Task CaughtUpAsync(HttpContext context, FeedFollower follower, StringValues ifNoneMatch, CurrentFeed served)
    {
        IResult result;
        try
        {
            result = ServeFeed(context, await follower.CatchUpForTagAsync(ifNoneMatch, static current => current.Feed, context.RequestAborted) ?? served);
        }
        catch (TimeoutException)
        {
            result = FeedHandlers.CatchingUp(context);
        }
        catch (Exception exception) when (Infrastructure.Database.IsUnavailable(exception))
        {
            // The feed is served from memory while the database is away (nothing can be published then).
            result = ServeFeed(context, served);
        }

        await result.ExecuteAsync(context);
    }

    /// <summary>The current feed's JSON with the headers the endpoint sends.</summary>
    private static IResult ServeFeed(HttpContext context, CurrentFeed feed)
    {
        var headers = context.Response.Headers;
        if (context.Request.Headers.Origin.Count > 0)
        {
            FeedCors.ApplyToSimpleGet(headers);
        }

        Infrastructure.SecurityHeaders.ApplyToApi(headers);
        var result = Serve(context, feed.Feed, ShortCache);
        headers.Vary = FeedFormats.Vary;
        return result;
    }

    /// <summary>Writes ready-made bytes: validators, 304, and the encoding the client prefers (Brotli, gzip, none).</summary>
    public static IResult Serve(HttpContext context, FeedBytes bytes, string cacheControl, string contentType = "application/json; charset=utf-8")
    {
        var request = context.Request;
        var headers = context.Response.Headers;
        var encoding = PreferredEncoding(request.Headers.AcceptEncoding, bytes.OffersBrotli);
        headers.ETag = encoding switch { "br" => bytes.BrotliETag, "gzip" => bytes.GzipETag, _ => bytes.ETag };
        headers.CacheControl = cacheControl;
        headers.LastModified = bytes.LastModified;
        headers.Vary = "Accept-Encoding";
        if (Matches(request.Headers.IfNoneMatch, bytes))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return Results.Empty;
        }

        // Signed once per rendition (the services are asked only the first time), never per request.
        if (bytes.Signature(context, static (context, identity) => context.RequestServices.GetService<Auditing.AuditAnchor>()?.Sign(identity)) is { } signature)
        {
            headers[SignatureHeader] = signature;
        }
        var body = bytes.Body(encoding);
        if (encoding is not null)
        {
            headers.ContentEncoding = encoding;
        }

        context.Response.ContentType = contentType;
        context.Response.ContentLength = body is Pieces pieces ? pieces.Length : body.Sum(p => (long)p.Length);
        return HttpMethods.IsHead(request.Method) ? Results.Empty : new PiecesResult(body);
    }

    /// <summary>Brotli if acceptable (and offered), else gzip, else identity; "q=0" refuses a coding.</summary>
    public static string? PreferredEncoding(StringValues acceptEncoding, bool brotliOffered = true)
    {
        bool br = false, gzip = false;
        foreach (var header in acceptEncoding)
        {
            foreach (var part in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var semicolon = part.IndexOf(';');
                var name = semicolon < 0 ? part : part[..semicolon].Trim();
                if (semicolon >= 0 && IsZeroQuality(part[(semicolon + 1)..]))
                {
                    continue;
                }

                br |= name.Equals("br", StringComparison.OrdinalIgnoreCase) || name == "*";
                gzip |= name.Equals("gzip", StringComparison.OrdinalIgnoreCase) || name == "*";
            }
        }

        return br && brotliOffered ? "br" : gzip ? "gzip" : null;
    }

    private static bool IsZeroQuality(string parameters)
    {
        var q = parameters.Trim();
        return q.StartsWith("q=", StringComparison.OrdinalIgnoreCase)
            && double.TryParse(q[2..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value == 0;
    }

    internal static bool Matches(StringValues ifNoneMatch, FeedBytes bytes)
    {
        if (ifNoneMatch.Count == 0)
        {
            return false;
        }

        // The common case, a client sending back exactly the tag it got, without parsing.
        if (ifNoneMatch.Count == 1 && ifNoneMatch[0] is { } single && (single == bytes.ETag || single == bytes.BrotliETag || single == bytes.GzipETag))
        {
            return true;
        }

        if (!EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags))
        {
            return false;
        }

        // If-None-Match uses the weak comparison (RFC 9110 §13.1.2); any representation's tag is the same content.
        foreach (var tag in tags)
        {
            if (tag.Equals(EntityTagHeaderValue.Any))
            {
                return true;
            }

            var value = tag.Tag.Value;
            if (value == bytes.ETag || value == bytes.GzipETag || value == bytes.BrotliETag)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Writes the body's pieces in order; headers are already set.</summary>
    private sealed class PiecesResult(IReadOnlyList<ReadOnlyMemory<byte>> body) : IResult
    {
        // Copied into Kestrel's pooled blocks and flushed every 64 KB: a few hot blocks reused per
        // connection beat megabytes of cold ones (measured with bench/feed.sh), and a feed of 20,000
        // small pieces costs a copy each, not an asynchronous write each.
        private const int Slice = 64 * 1024;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            // Headers first: Kestrel sets aside what is written before the response starts and copies it
            // again behind the headers (measured: a second memmove and a block rent per 4 KB on the hot path).
            await httpContext.Response.StartAsync(httpContext.RequestAborted);
            var writer = httpContext.Response.BodyWriter;
            var unflushed = 0;
            foreach (var piece in body)
            {
                for (var offset = 0; offset < piece.Length;)
                {
                    var length = Math.Min(Slice - unflushed, piece.Length - offset);
                    writer.Write(piece.Span.Slice(offset, length));
                    offset += length;
                    unflushed += length;
                    if (unflushed >= Slice)
                    {
                        var flushed = await writer.FlushAsync(httpContext.RequestAborted);
                        unflushed = 0;
                        if (flushed.IsCanceled || flushed.IsCompleted)
                        {
                            return;
                        }
                    }
                }
            }

            // Flushed here, not left to the end of the request: Kestrel did not send a tail written after an
            // earlier flush (a 6.7 MB feed stalled 40 KB short; FeedBytesOverKestrelTests).
            if (unflushed > 0)
            {
                await writer.FlushAsync(httpContext.RequestAborted);
            }
        }
    }
}
