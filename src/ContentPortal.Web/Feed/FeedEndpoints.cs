using System.Buffers;
using System.Globalization;
using System.Text.Json;
using ContentPortal.Domain;
using ContentPortal.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace ContentPortal.Web.Feed;

/// <summary>
/// The public, anonymous JSON feed for downstream apps (contract: docs/feed.md, Feed/feed.schema.json).
/// Every answer is a ready-made <see cref="FeedBytes"/>: strong ETag, 304, Last-Modified, gzip/Brotli.
/// </summary>
public static class FeedEndpoints
{
    public const int MaxPageSize = 100;

    /// <summary>Most items one page of /snapshots/{id}/items holds.</summary>
    public const int MaxItemsPageSize = 500;

    private const string ShortCache = "public, max-age=60";
    private const string Immutable = "public, max-age=31536000, immutable";

    public static void MapFeed(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").AllowAnonymous().RequireCors(FeedCors.Policy).WithTags("Feed");

        api.MapMethods("/feed", Get, (HttpContext context, PublishedFeed published) =>
            published.Current is { } feed ? Negotiated(context, feed, feed.Feed, representation => FeedFormats.Feed(feed, representation)) : NothingPublished(context))
            .WithSummary("The current snapshot (Accept or ?format=: application/json, application/fhir+json as a FHIR R4 Bundle, application/ld+json as a schema.org DataFeed)")
            .Produces(200, contentType: "application/json", additionalContentTypes: [FhirRendition.MediaType, SchemaOrgRendition.MediaType])
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(406).WithFormats("Bundle (collection)", "DataFeed");

        api.MapMethods("/lookup", Get, (HttpContext context, PublishedFeed published) =>
        {
            var query = context.Request.Query;
            if (query["system"].Count > 1 || query["code"].Count > 1)
            {
                return BadRequest(context, "Give system and code once each.");
            }

            if (CodeLookup.Parse(query["system"], query["code"], out var problem) is not { } key)
            {
                return BadRequest(context, problem!);
            }

            return published.Current is { } feed ? Serve(context, CodeLookup.Answer(feed, key.System, key.Code), ShortCache) : NothingPublished(context);
        }).WithSummary("Articles and red-flag lists of the current snapshot that carry a SNOMED CT or ICD-10 code (?system={uri}&code={code})")
            .Produces(200, contentType: "application/json").ProducesProblem(400).ProducesProblem(404);

        api.MapMethods("/feed/schema.json", Get, (HttpContext context) => Serve(context, FeedSchema.Bytes, "public, max-age=3600", "application/schema+json"))
            .WithSummary("JSON Schema (2020-12) of every response of this API").Produces(200, contentType: "application/schema+json");

        api.MapMethods("/snapshots", Get, SnapshotListAsync)
            .WithSummary("Published snapshots, newest first (?page=1&pageSize=20, pageSize at most 100)")
            .Produces(200, contentType: "application/json").ProducesProblem(400).ProducesProblem(404);

        api.MapMethods("/snapshots/{id}", Get, async (HttpContext context, string id, PublishedFeed published, PortalDbContext db) =>
        {
            if (!TryParseId(id, out var snapshotId))
            {
                return BadRequest(context, "The snapshot id must be a positive whole number.");
            }

            var bytes = await published.SnapshotAsync(snapshotId, db, context.RequestAborted);
            return bytes is null
                ? NotFound(context, "No such snapshot", $"Snapshot {snapshotId} does not exist.")
                : Serve(context, bytes, Immutable);
        }).WithSummary("One snapshot's feed, byte-identical forever").Produces(200, contentType: "application/json").ProducesProblem(400).ProducesProblem(404);

        api.MapMethods("/snapshots/{id}/items", Get, SnapshotItemsAsync)
            .WithSummary($"One snapshot's items, a page at a time (?after=<cursor>&limit=1..{MaxItemsPageSize}); each page is immutable")
            .Produces(200, contentType: "application/json").ProducesProblem(400).ProducesProblem(404);

        api.MapMethods("/articles/{slug}", Get, (HttpContext context, string slug, PublishedFeed published) =>
            Item(context, published, slug, DocumentKind.Article, "article"))
            .WithSummary("One article from the current snapshot (Accept or ?format=: application/json, application/fhir+json as a FHIR R4 DocumentReference, application/ld+json as a schema.org MedicalWebPage)")
            .Produces(200, contentType: "application/json", additionalContentTypes: [FhirRendition.MediaType, SchemaOrgRendition.MediaType])
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(406).WithFormats("DocumentReference", "MedicalWebPage");

        api.MapMethods("/red-flag-lists/{slug}", Get, (HttpContext context, string slug, PublishedFeed published) =>
            Item(context, published, slug, DocumentKind.RedFlagList, "red-flag list"))
            .WithSummary("One red-flag list from the current snapshot (Accept or ?format=: application/json, application/fhir+json as a FHIR R4 PlanDefinition, application/ld+json as a schema.org MedicalWebPage)")
            .Produces(200, contentType: "application/json", additionalContentTypes: [FhirRendition.MediaType, SchemaOrgRendition.MediaType])
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(406).WithFormats("PlanDefinition", "MedicalWebPage (flags as MedicalSignOrSymptom)");

        api.MapMethods("/changes", Get, ChangesAsync)
            .WithSummary("What changed between snapshot ?since= and the current one")
            .Produces(200, contentType: "application/json").ProducesProblem(400).ProducesProblem(404);

        // Anything else under /api answers as the API does, not with an HTML page.
        app.MapMethods("/api/{**rest}", Get, (HttpContext context) => NotFound(context, "Not found", "There is no such endpoint. See /openapi/v1.json."))
            .AllowAnonymous().RequireCors(FeedCors.Policy).ExcludeFromDescription();

        // The API is read-only: any other verb is "method not allowed" with what is, not a login challenge.
        app.MapMethods("/api/{**rest}", [HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Patch], (HttpContext context) =>
        {
            context.Response.Headers.Allow = "GET, HEAD";
            context.Response.Headers.CacheControl = "no-store";
            return Results.Problem(statusCode: StatusCodes.Status405MethodNotAllowed, title: "Method not allowed", detail: "The feed API is read-only: use GET or HEAD.");
        }).AllowAnonymous().RequireCors(FeedCors.Policy).ExcludeFromDescription();
    }

    private static readonly string[] Get = [HttpMethods.Get, HttpMethods.Head];

    private static IResult Item(HttpContext context, PublishedFeed published, string slug, DocumentKind kind, string what)
    {
        if (published.Current is not { } feed)
        {
            return NothingPublished(context);
        }

        return feed.Find(kind, slug) is { } item && feed.Response(item) is var bytes
            ? Negotiated(context, feed, bytes, representation => FeedFormats.Item(feed, bytes, what == "article" ? FeedBuilder.ArticleKind : FeedBuilder.RedFlagListKind, slug, representation))
            : NotFound(context, $"No such {what}", $"The current snapshot ({feed.SnapshotId}) has no {what} \u201c{slug}\u201d.");
    }

    /// <summary>Our JSON or a rendition of it, as Accept or ?format= asks (see <see cref="Renditions"/>).</summary>
    private static IResult Negotiated(HttpContext context, CurrentFeed feed, FeedBytes json, Func<Representation, FeedBytes> rendition)
    {
        if (FeedFormats.Choose(context, out var refusal) is not { } representation)
        {
            return refusal!;
        }

        var result = representation == Representation.Json
            ? Serve(context, json, ShortCache)
            : Serve(context, rendition(representation), ShortCache, FeedFormats.ContentType(representation));
        context.Response.Headers.Vary = FeedFormats.Vary;
        return result;
    }

    private static async Task<IResult> SnapshotListAsync(HttpContext context, PublishedFeed published, PortalDbContext db)
    {
        if (published.Current is not { } feed)
        {
            return NothingPublished(context);
        }

        var query = context.Request.Query;
        if (!TryParseOptional(query["page"], 1, int.MaxValue, 1, out var page))
        {
            return BadRequest(context, "page must be a whole number from 1.");
        }

        if (!TryParseOptional(query["pageSize"], 1, MaxPageSize, 20, out var pageSize))
        {
            return BadRequest(context, $"pageSize must be a whole number from 1 to {MaxPageSize}.");
        }

        // The list only changes when a snapshot is published, so each page is built once per current snapshot.
        var key = $"snapshots:{page}:{pageSize}";
        if (!feed.Derived.TryGet(key, out var bytes))
        {
            var rows = await db.Snapshots.AsNoTracking()
                .Where(s => s.Id <= feed.SnapshotId)
                .OrderByDescending(s => s.Id)
                .Skip((int)Math.Min((long)(page - 1) * pageSize, int.MaxValue))
                .Take(pageSize)
                .Select(s => new { s.Id, s.PublishedAt, s.PublishedByName, s.Note, s.RepublishedFromId, Documents = s.DocumentCount })
                .ToListAsync(context.RequestAborted);
            var list = new FeedSnapshotList(
                page,
                pageSize,
                feed.SnapshotId,
                rows.Select(r => new FeedSnapshotListItem(r.Id, r.PublishedAt, r.PublishedByName, r.Note, r.RepublishedFromId, r.Documents, $"/api/v1/snapshots/{r.Id}")).ToList());
            bytes = feed.Derived.Add(key, new FeedBytes(JsonSerializer.SerializeToUtf8Bytes(list, FeedBuilder.Json), feed.PublishedAt));
        }

        return Serve(context, bytes, ShortCache);
    }

    /// <summary>
    /// A page of a snapshot's items, in the feed's order (articles, then red-flag lists, each by slug).
    /// The cursor is how many items come before the page; <c>next</c> links the following page.
    /// </summary>
    private static async Task<IResult> SnapshotItemsAsync(HttpContext context, string id, PublishedFeed published, PortalDbContext db)
    {
        if (!TryParseId(id, out var snapshotId))
        {
            return BadRequest(context, "The snapshot id must be a positive whole number.");
        }

        var query = context.Request.Query;
        if (!TryParseOptional(query["after"], 0, int.MaxValue, 0, out var after))
        {
            return BadRequest(context, "after must be the cursor of a next link: a whole number from 0.");
        }

        if (!TryParseOptional(query["limit"], 1, MaxItemsPageSize, 100, out var limit))
        {
            return BadRequest(context, $"limit must be a whole number from 1 to {MaxItemsPageSize}.");
        }

        var key = $"{snapshotId}:{after}:{limit}";
        if (!published.ItemPages.TryGet(key, out var bytes))
        {
            var header = await db.Snapshots.AsNoTracking().Where(s => s.Id == snapshotId)
                .Select(s => new { s.PublishedAt, s.DocumentCount })
                .FirstOrDefaultAsync(context.RequestAborted);
            if (header is null)
            {
                return NotFound(context, "No such snapshot", $"Snapshot {snapshotId} does not exist.");
            }

            var items = await published.ItemsAsync(snapshotId, after, limit, db, context.RequestAborted);
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = FeedBuilder.Json.Encoder }))
            {
                json.WriteStartObject();
                json.WriteNumber("snapshot", snapshotId);
                json.WriteNumber("total", header.DocumentCount);
                json.WriteNumber("after", after);
                json.WriteStartArray("items");
                foreach (var item in items)
                {
                    json.WriteRawValue(item.Span, skipInputValidation: true);
                }

                json.WriteEndArray();
                var next = (long)after + items.Count;
                if (items.Count == limit && next < header.DocumentCount)
                {
                    json.WriteString("next", $"/api/v1/snapshots/{snapshotId}/items?after={next}&limit={limit}");
                }
                else
                {
                    json.WriteNull("next");
                }

                json.WriteEndObject();
            }

            bytes = published.ItemPages.Add(key, new FeedBytes(buffer.ToArray(), header.PublishedAt));
        }

        return Serve(context, bytes, Immutable);
    }

    private static async Task<IResult> ChangesAsync(HttpContext context, PublishedFeed published, PortalDbContext db)
    {
        if (published.Current is not { } feed)
        {
            return NothingPublished(context);
        }

        var raw = context.Request.Query["since"];
        if (raw.Count != 1 || !int.TryParse(raw[0], NumberStyles.None, CultureInfo.InvariantCulture, out var since))
        {
            return BadRequest(context, "Give since=<snapshot id> as a whole number (0 for everything).");
        }

        if (since > feed.SnapshotId)
        {
            return BadRequest(context, $"since={since} is after the current snapshot {feed.SnapshotId}.");
        }

        var key = $"changes:{since}";
        if (!feed.Derived.TryGet(key, out var bytes))
        {
            var before = since == 0
                ? []
                : await db.ManifestOf(since).Select(e => new { e.DocumentId, e.VersionId, e.Slug, e.Kind })
                    .ToDictionaryAsync(e => e.DocumentId, context.RequestAborted);
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = FeedBuilder.Json.Encoder }))
            {
                json.WriteStartObject();
                json.WriteNumber("from", since);
                json.WriteNumber("to", feed.SnapshotId);
                // The current feed holds its items in the feed's order already (articles, then red-flag lists, by slug).
                json.WriteStartArray("added");
                foreach (var item in feed.InFeedOrder.Where(i => !before.ContainsKey(i.Entry.DocumentId)))
                {
                    json.WriteRawValue(item.Json.Span, skipInputValidation: true);
                }

                json.WriteEndArray();
                json.WriteStartArray("changed");
                foreach (var item in feed.InFeedOrder.Where(i => before.TryGetValue(i.Entry.DocumentId, out var old) && old.VersionId != i.VersionId))
                {
                    json.WriteRawValue(item.Json.Span, skipInputValidation: true);
                }

                json.WriteEndArray();
                json.WriteStartArray("removed");
                foreach (var old in before.Values.Where(o => !feed.Items.ContainsKey(o.DocumentId)).OrderBy(o => o.Slug, StringComparer.Ordinal))
                {
                    json.WriteStartObject();
                    json.WriteString("id", old.DocumentId);
                    json.WriteString("kind", old.Kind == Domain.DocumentKind.Article ? FeedBuilder.ArticleKind : FeedBuilder.RedFlagListKind);
                    json.WriteString("slug", old.Slug);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            bytes = feed.Derived.Add(key, new FeedBytes(buffer.ToArray(), feed.PublishedAt));
        }

        return Serve(context, bytes, ShortCache);
    }

    /// <summary>
    /// The hot path: GET /api/v1/feed answered first thing in the pipeline (before static files, routing and
    /// authentication, none of which it needs), with the same headers the endpoint sends. Everything else
    /// (and the no-snapshot-yet 404) goes through the endpoints.
    /// </summary>
    public static IApplicationBuilder UseFeedFastPath(this IApplicationBuilder app)
    {
        // A singleton: taken once here, so a request never creates a service scope.
        var published = app.ApplicationServices.GetRequiredService<PublishedFeed>();
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

        var headers = context.Response.Headers;
        if (request.Headers.Origin.Count > 0)
        {
            FeedCors.ApplyToSimpleGet(headers);
        }

        Infrastructure.SecurityHeaders.ApplyToApi(headers);
        var result = Serve(context, feed.Feed, ShortCache);
        headers.Vary = FeedFormats.Vary;
        return result.ExecuteAsync(context);
        });
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

    private static bool Matches(StringValues ifNoneMatch, FeedBytes bytes)
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

    private static bool TryParseId(string text, out int id) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;

    private static bool TryParseOptional(StringValues raw, int min, int max, int fallback, out int value)
    {
        value = fallback;
        if (raw.Count == 0)
        {
            return true;
        }

        return raw.Count == 1 && int.TryParse(raw[0], NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }

    private static IResult NothingPublished(HttpContext context) =>
        NotFound(context, "Nothing has been published yet", "The feed appears once a publisher publishes the first snapshot.");

    private static IResult NotFound(HttpContext context, string title, string detail)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: title, detail: detail);
    }

    private static IResult BadRequest(HttpContext context, string detail)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail);
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

public sealed record FeedSnapshotList(int Page, int PageSize, int Current, IReadOnlyList<FeedSnapshotListItem> Snapshots);

public sealed record FeedSnapshotListItem(int Id, DateTime PublishedAt, string PublishedBy, string Note, int? RepublishedFrom, int Documents, string Url);

/// <summary>The committed JSON Schema (Feed/feed.schema.json, embedded), served as is.</summary>
public static class FeedSchema
{
    public static readonly FeedBytes Bytes = Load();

    private static FeedBytes Load()
    {
        using var stream = typeof(FeedSchema).Assembly.GetManifestResourceStream("feed.schema.json")
            ?? throw new InvalidOperationException("feed.schema.json is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        // Last-Modified: when this build was made (the schema changes only with a new build).
        return new FeedBytes(copy.ToArray(), File.GetLastWriteTimeUtc(typeof(FeedSchema).Assembly.Location)).Precompress();
    }
}
