using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace ContentPortal.Web.Feed;

/// <summary>The representations of the feed and its items: our JSON, FHIR R4, schema.org JSON-LD.</summary>
public enum Representation
{
    Json,
    Fhir,
    JsonLd,
}

/// <summary>
/// Content negotiation for the feed and item URLs: <c>?format=</c> (for browsers) wins over <c>Accept</c>. No
/// Accept, <c>*/*</c> or <c>application/*</c> is our JSON, so every existing consumer gets what it always got.
/// Each rendition is built once per snapshot from the published JSON and then served like the feed itself
/// (its own strong ETag, 304, gzip/Brotli), with <c>Vary: Accept</c>.
/// </summary>
public static class FeedFormats
{
    public const string Vary = "Accept, Accept-Encoding";

    private static readonly (string Format, string MediaType, Representation Representation)[] Supported =
    [
        ("json", "application/json", Representation.Json),
        ("fhir", FhirRendition.MediaType, Representation.Fhir),
        ("jsonld", SchemaOrgRendition.MediaType, Representation.JsonLd),
    ];

    public static string SupportedList => string.Join(", ", Supported.Select(s => $"{s.MediaType} (?format={s.Format})"));

    /// <summary>The content type a representation is served with.</summary>
    public static string ContentType(Representation representation) => representation switch
    {
        Representation.Fhir => $"{FhirRendition.MediaType}; fhirVersion=4.0; charset=utf-8",
        Representation.JsonLd => $"{SchemaOrgRendition.MediaType}; charset=utf-8",
        _ => "application/json; charset=utf-8",
    };

    /// <summary>True for a plain request for our JSON (no ?format=, an Accept our JSON satisfies): the feed's fast path may answer it.</summary>
    public static bool WantsPlainJson(HttpRequest request) =>
        !request.Query.ContainsKey("format") && Negotiate(request.Headers.Accept.ToString()) == Representation.Json;

    /// <summary>The representation asked for, or the problem to answer: 400 for an unknown ?format=, 406 for an Accept we cannot satisfy.</summary>
    public static Representation? Choose(HttpContext context, out IResult? refusal)
    {
        refusal = null;
        context.Response.Headers.Vary = Vary;
        var format = context.Request.Query["format"];
        if (format.Count > 0)
        {
            var chosen = format.Count == 1 ? Supported.FirstOrDefault(s => string.Equals(s.Format, format[0], StringComparison.OrdinalIgnoreCase) || string.Equals(s.MediaType, format[0], StringComparison.OrdinalIgnoreCase)) : default;
            if (chosen.MediaType is null)
            {
                refusal = Problem(context, StatusCodes.Status400BadRequest, "Unknown format", $"format must be one of json, fhir or jsonld. Supported: {SupportedList}.");
                return null;
            }

            return chosen.Representation;
        }

        var representation = Negotiate(context.Request.Headers.Accept.ToString());
        if (representation is null)
        {
            refusal = Problem(context, StatusCodes.Status406NotAcceptable, "Not acceptable", $"This resource is available as {SupportedList}.");
        }

        return representation;
    }

    /// <summary>The best supported representation for an Accept header (highest q, then the order given); null when none is acceptable.</summary>
    public static Representation? Negotiate(string accept)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return Representation.Json;
        }

        // An Accept header that does not parse is treated as absent rather than refused: it says nothing we can honour or refuse.
        if (!MediaTypeHeaderValue.TryParseList([accept], out var ranges))
        {
            return Representation.Json;
        }

        var ordered = ranges.Select((range, index) => (range, index, q: range.Quality ?? 1.0))
            .Where(x => x.q > 0)
            .OrderByDescending(x => x.q)
            .ThenBy(x => x.index);
        foreach (var (range, _, _) in ordered)
        {
            var type = range.MediaType.Value ?? "";
            if (type is "*/*" or "application/*")
            {
                return Representation.Json;
            }

            foreach (var supported in Supported)
            {
                if (string.Equals(type, supported.MediaType, StringComparison.OrdinalIgnoreCase))
                {
                    return supported.Representation;
                }
            }
        }

        return null;
    }

    /// <summary>The whole current feed in a rendition (built on first request, kept with the snapshot).</summary>
    public static FeedBytes Feed(CurrentFeed feed, Representation representation, HttpContext context) =>
        feed.Derived.GetOrAdd(Key(representation, "feed", context, out var baseUrl), _ =>
        {
            var document = JsonSerializer.Deserialize<FeedDocument>(feed.Feed.Json.Span, FeedBuilder.Json)!;
            var items = document.Articles.Cast<FeedItem>().Concat(document.RedFlagLists).ToList();
            var bytes = representation == Representation.Fhir
                ? FhirRendition.Serialize(FhirRendition.ToBundle(document.Snapshot, items))
                : SchemaOrgRendition.Serialize(SchemaOrgRendition.ToDataFeed(document.Snapshot, items, baseUrl));
            return new FeedBytes(bytes, feed.PublishedAt);
        });

    /// <summary>One item of the current feed in a rendition.</summary>
    public static FeedBytes Item(CurrentFeed feed, FeedBytes json, string kind, string slug, Representation representation, HttpContext context) =>
        feed.Derived.GetOrAdd(Key(representation, $"{kind}:{slug}", context, out var baseUrl), _ =>
        {
            FeedItem item = kind == FeedBuilder.ArticleKind
                ? JsonSerializer.Deserialize<FeedArticle>(json.Json.Span, FeedBuilder.Json)!
                : JsonSerializer.Deserialize<FeedRedFlagList>(json.Json.Span, FeedBuilder.Json)!;
            var bytes = representation == Representation.Fhir
                ? FhirRendition.Serialize(FhirRendition.ToResource(item))
                : SchemaOrgRendition.Serialize(SchemaOrgRendition.ToPage(item, baseUrl));
            return new FeedBytes(bytes, feed.PublishedAt);
        });

    /// <summary>The cache key of a rendition: JSON-LD carries absolute URLs, so it is kept per public base URL.</summary>
    private static string Key(Representation representation, string what, HttpContext context, out string baseUrl)
    {
        baseUrl = representation == Representation.JsonLd ? SchemaOrgRendition.PublicBaseUrl(context) : "";
        return $"{representation}:{what}:{baseUrl}";
    }

    private static IResult Problem(HttpContext context, int status, string title, string detail)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.Problem(statusCode: status, title: title, detail: detail);
    }
}
