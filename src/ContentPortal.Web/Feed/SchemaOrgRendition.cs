using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContentPortal.Domain;

namespace ContentPortal.Web.Feed;

/// <summary>
/// The feed's items as schema.org JSON-LD, modelled on the NHS website content API: an article is a
/// <c>MedicalWebPage</c> about <c>MedicalCondition</c>s carrying its codes as <c>MedicalCode</c>s; a red-flag list
/// is one too, its flags the condition's <c>signOrSymptom</c>s (<c>MedicalSignOrSymptom</c>). Built from the
/// published JSON item, like the FHIR rendition.
/// </summary>
public static class SchemaOrgRendition
{
    public const string MediaType = "application/ld+json";

    private const string Context = "https://schema.org";

    public static byte[] Serialize(JsonObject node) => JsonSerializer.SerializeToUtf8Bytes(node, FeedBuilder.Json);

    /// <summary>The whole snapshot as a <c>DataFeed</c> of pages.</summary>
    public static JsonObject ToDataFeed(FeedSnapshot snapshot, IEnumerable<FeedItem> items, string baseUrl) => new()
    {
        ["@context"] = Context,
        ["@type"] = "DataFeed",
        // schema.org's identifier is Text, URL or PropertyValue, never a number.
        ["identifier"] = snapshot.Id.ToString(CultureInfo.InvariantCulture),
        ["url"] = $"{baseUrl}/api/v1/snapshots/{snapshot.Id}",
        ["dateModified"] = snapshot.PublishedAt,
        ["dataFeedElement"] = new JsonArray(items.Select(item => (JsonNode)Page(item, baseUrl, withContext: false)).ToArray()),
    };

    public static JsonObject ToPage(FeedItem item, string baseUrl) => Page(item, baseUrl, withContext: true);

    /// <summary>
    /// Where consumers reach the feed, without a trailing slash: Feed:PublicBaseUrl when set (behind a proxy
    /// that rewrites the host), else the scheme, host and path base of the request.
    /// </summary>
    public static string PublicBaseUrl(HttpContext context) =>
        context.RequestServices.GetRequiredService<IConfiguration>()["Feed:PublicBaseUrl"] is { Length: > 0 } configured
            ? configured.TrimEnd('/')
            : $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";

    private static JsonObject Page(FeedItem item, string baseUrl, bool withContext)
    {
        var page = new JsonObject();
        if (withContext)
        {
            page["@context"] = Context;
        }

        page["@type"] = "MedicalWebPage";
        page["identifier"] = item.Id.ToString();
        page["url"] = item is FeedArticle ? $"{baseUrl}/api/v1/articles/{item.Slug}" : $"{baseUrl}/api/v1/red-flag-lists/{item.Slug}";
        page["name"] = item.Title;
        page["description"] = item.Summary;
        page["version"] = item.Version;
        page["dateModified"] = item.ApprovedAt;
        if (item.LastReviewed is { } reviewed)
        {
            page["lastReviewed"] = reviewed.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }

        if (item.Approvals.Count > 0)
        {
            page["reviewedBy"] = new JsonArray(item.Approvals.Select(a => (JsonNode)new JsonObject { ["@type"] = "Person", ["name"] = a.Name }).ToArray());
        }

        if (item.References.Count > 0)
        {
            page["citation"] = new JsonArray(item.References.Select(r => (JsonNode)new JsonObject { ["@type"] = "CreativeWork", ["name"] = r.Source, ["url"] = r.Link }).ToArray());
        }

        switch (item)
        {
            case FeedArticle article:
                page["text"] = PlainText(article.BodyHtml);
                page["hasPart"] = new JsonArray(article.Sections.Select(s => (JsonNode)Part(s)).ToArray());
                if (Conditions(article.Codes, article.Title) is { Count: > 0 } about)
                {
                    page["about"] = about;
                }

                break;
            case FeedRedFlagList list:
                // The list is about one condition (its own codes, else its title) whose signs are the flags.
                var condition = Conditions(list.Codes, list.Title) is { Count: > 0 } coded ? (JsonObject)coded[0]!.DeepClone() : Condition(list.Title, []);
                condition["signOrSymptom"] = new JsonArray(list.Flags.Select(f => (JsonNode)Symptom(f)).ToArray());
                page["about"] = condition;
                break;
        }

        return page;
    }

    private static JsonObject Part(FeedSection section)
    {
        // A section with a health aspect is schema.org's HealthTopicContent (the type hasHealthAspect belongs to), as the NHS marks its sections.
        var aspect = section.Aspect is { } name && HealthAspects.TryParse(name, out var known) ? known : (HealthAspect?)null;
        var part = new JsonObject { ["@type"] = aspect is null ? "WebPageElement" : "HealthTopicContent", ["position"] = section.Position };
        // The text before the first heading has none: no headline rather than an empty one.
        if (section.Headline.Length > 0)
        {
            part["headline"] = section.Headline;
        }

        part["text"] = PlainText(section.Text);
        if (aspect is { } chosen)
        {
            part["hasHealthAspect"] = HealthAspects.SchemaOrgUrl(chosen);
        }

        return part;
    }

    /// <summary>
    /// schema.org's text is Text, not markup: the sanitized HTML's text, one line per block (Markdig ends
    /// each block with a line break), blank lines and indentation dropped.
    /// </summary>
    public static string PlainText(string html)
    {
        var text = new AngleSharp.Html.Parser.HtmlParser().ParseFragment(html, null!).Select(n => n.TextContent);
        return string.Join('\n', string.Concat(text).Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0));
    }

    private static JsonObject Symptom(FeedRedFlag flag)
    {
        var symptom = new JsonObject
        {
            ["@type"] = "MedicalSignOrSymptom",
            ["name"] = flag.Symptom,
            ["description"] = flag.Advice,
            // schema.org has no urgency; an identifier PropertyValue carries ours (emergency, urgent, routine).
            ["identifier"] = new JsonObject { ["@type"] = "PropertyValue", ["propertyID"] = "urgency", ["value"] = flag.Urgency },
        };
        if (flag.Codes.Count > 0)
        {
            symptom["code"] = Codes(flag.Codes);
        }

        return symptom;
    }

    /// <summary>One MedicalCondition per name: codes with the same text (a SNOMED CT and an ICD-10 code for one condition) go together.</summary>
    private static JsonArray Conditions(IReadOnlyList<FeedCode> codes, string fallbackName) =>
        new(codes.GroupBy(c => c.Display.Length > 0 ? c.Display : fallbackName, StringComparer.OrdinalIgnoreCase)
            .Select(group => (JsonNode)Condition(group.Key, group.ToList()))
            .ToArray());

    private static JsonObject Condition(string name, IReadOnlyList<FeedCode> codes)
    {
        var condition = new JsonObject { ["@type"] = "MedicalCondition", ["name"] = name };
        if (codes.Count > 0)
        {
            condition["code"] = Codes(codes);
        }

        return condition;
    }

    private static JsonArray Codes(IEnumerable<FeedCode> codes) => new(codes.Select(c => (JsonNode)new JsonObject
    {
        ["@type"] = "MedicalCode",
        ["codeValue"] = c.Code,
        ["codingSystem"] = c.System == CodeSystems.Snomed ? "SNOMED-CT" : c.System == CodeSystems.Icd10 ? "ICD-10" : c.System,
    }).ToArray());
}
