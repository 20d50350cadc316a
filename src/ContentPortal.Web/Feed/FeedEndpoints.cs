using ContentPortal.Domain;
using ContentPortal.Web.Data;
using static ContentPortal.Web.Feed.FeedHandlers;
using static ContentPortal.Web.Feed.FeedHttp;

namespace ContentPortal.Web.Feed;

/// <summary>
/// The public, anonymous JSON feed for downstream apps (contract: docs/feed.md, Feed/feed.schema.json): the
/// route table. The handlers are in <see cref="FeedHandlers"/>; every answer is a ready-made
/// <see cref="FeedBytes"/> written by <see cref="FeedHttp"/> (strong ETag, 304, Last-Modified, gzip/Brotli).
/// </summary>
public static class FeedEndpoints
{
    public const int MaxPageSize = 100;

    /// <summary>Most items one page of /snapshots/{id}/items holds.</summary>
    public const int MaxItemsPageSize = 500;

    public static void MapFeed(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").AllowAnonymous().RequireCors(FeedCors.Policy).WithTags("Feed");

        api.MapMethods("/feed", Get, (HttpContext context, PublishedFeed published) =>
            published.Current is { } feed
                ? NegotiatedAsync(context, feed, (current, representation) => representation == Representation.Json ? current.Feed : FeedFormats.Feed(current, representation, context), _ => NothingPublished(context))
                : Task.FromResult(NothingPublished(context)))
            .WithSummary("The current snapshot (Accept or ?format=: application/json, application/fhir+json as a FHIR R4 Bundle, application/ld+json as a schema.org DataFeed)")
            .Answers(new FeedContract("feed", [FeedOpenApi.Format], [400, 404, 406], "a FHIR R4 Bundle (collection) or a schema.org DataFeed"));

        api.MapMethods("/lookup", Get, (HttpContext context, PublishedFeed published) =>
        {
            var query = context.Request.Query;
            if (query["system"].Count > 1 || query["code"].Count > 1)
            {
                return Task.FromResult(BadRequest(context, "Give system and code once each."));
            }

            if (CodeLookup.Parse(query["system"], query["code"], out var problem) is not { } key)
            {
                return Task.FromResult(BadRequest(context, problem!));
            }

            return published.Current is { } feed
                ? CurrentAsync(context, feed, current => CodeLookup.Answer(current, key.System, key.Code), _ => NothingPublished(context))
                : Task.FromResult(NothingPublished(context));
        }).WithSummary("Articles and red-flag lists of the current snapshot that carry a SNOMED CT or ICD-10 code (?system={uri}&code={code})")
            .Answers("lookup", [400, 404],
                new FeedParameter("system", $$"""{ "type": "string", "enum": ["{{ContentPortal.Domain.CodeSystems.Snomed}}", "{{ContentPortal.Domain.CodeSystems.Icd10}}"] }""", "The code system's URI.", Required: true),
                new FeedParameter("code", """{ "type": "string" }""", "A SNOMED CT concept id or an ICD-10 code.", Required: true));

        api.MapMethods("/feed/schema.json", Get, (HttpContext context) => Serve(context, FeedSchema.Bytes, "public, max-age=3600", "application/schema+json"))
            .WithSummary("JSON Schema (2020-12) of every response of this API").Answers(new FeedContract(null, [], [], BodyType: "application/schema+json"));

        api.MapMethods("/snapshots", Get, SnapshotListAsync)
            .WithSummary("Published snapshots, newest first (?page=1&pageSize=20, pageSize at most 100)")
            .Answers("snapshotList", [400, 404],
                new FeedParameter("page", """{ "type": "integer", "minimum": 1, "default": 1 }""", "Which page, from 1."),
                new FeedParameter("pageSize", $$"""{ "type": "integer", "minimum": 1, "maximum": {{MaxPageSize}}, "default": 20 }""", "Snapshots per page."));

        api.MapMethods("/snapshots/{id}", Get, async (HttpContext context, string id, PublishedFeed published, PortalDbContext db) =>
        {
            if (!TryParseId(id, out var snapshotId))
            {
                return BadRequest(context, "The snapshot id must be a positive whole number.");
            }

            if (await CatchUpAsync(context, published.Current, snapshotId) is IResult refusal)
            {
                return refusal;
            }

            var bytes = await published.SnapshotAsync(snapshotId, db, context.RequestAborted);
            return bytes is null
                ? NotFound(context, "No such snapshot", $"Snapshot {snapshotId} does not exist.")
                : Serve(context, bytes, Immutable);
        }).WithSummary("One snapshot's feed, byte-identical forever").Answers("feed", [400, 404]);

        api.MapMethods("/snapshots/{id}/items", Get, SnapshotItemsAsync)
            .WithSummary($"One snapshot's items, a page at a time (?after=<cursor>&limit=1..{MaxItemsPageSize}); each page is immutable")
            .Answers("snapshotItems", [400, 404],
                new FeedParameter("after", """{ "type": "integer", "minimum": 0, "default": 0 }""", "The cursor of a next link: how many items come before the page."),
                new FeedParameter("limit", $$"""{ "type": "integer", "minimum": 1, "maximum": {{MaxItemsPageSize}}, "default": 100 }""", "Items per page."));

        api.MapMethods("/articles/{slug}", Get, (HttpContext context, string slug, PublishedFeed published) =>
            ItemAsync(context, published, slug, DocumentKind.Article, "article"))
            .WithSummary("One article from the current snapshot (Accept or ?format=: application/json, application/fhir+json as a FHIR R4 DocumentReference, application/ld+json as a schema.org MedicalWebPage; ?aspects=Treatments,Symptoms: only the sections with those health aspects)")
            .Answers(new FeedContract("article", [FeedOpenApi.Format, Sections.AspectsParameter], [400, 404, 406], "a FHIR R4 DocumentReference or a schema.org MedicalWebPage"));

        api.MapMethods("/red-flag-lists/{slug}", Get, (HttpContext context, string slug, PublishedFeed published) =>
            ItemAsync(context, published, slug, DocumentKind.RedFlagList, "red-flag list"))
            .WithSummary("One red-flag list from the current snapshot (Accept or ?format=: application/json, application/fhir+json as a FHIR R4 PlanDefinition, application/ld+json as a schema.org MedicalWebPage)")
            .Answers(new FeedContract("redFlagList", [FeedOpenApi.Format], [400, 404, 406], "a FHIR R4 PlanDefinition or a schema.org MedicalWebPage (flags as MedicalSignOrSymptom)"));

        api.MapMethods("/items", Get, (HttpContext context, PublishedFeed published) =>
        {
            string? problem = null;
            return published.Current is not { } feed
                ? Task.FromResult(NothingPublished(context))
                : CurrentAsync(context, feed, current => ItemListing.Page(current, context.Request.Query, out problem), _ => BadRequest(context, problem!));
        })
            .WithSummary($"The current snapshot's items, filtered (kind, system+code, reviewDueBefore, updatedSince, q), only the fields asked for, {ItemListing.MaxLimit} at most a page (cursor after=)")
            .Answers("itemList", [400, 404], ItemListing.Parameters);

        api.MapMethods("/changes", Get, ChangesAsync)
            .WithSummary("What changed between snapshot ?since= and the current one")
            .Answers("changes", [400, 404],
                new FeedParameter("since", """{ "type": "integer", "minimum": 0 }""", "The snapshot id you have (0 for everything).", Required: true));

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
}
