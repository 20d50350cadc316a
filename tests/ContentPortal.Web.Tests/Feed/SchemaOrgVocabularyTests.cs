using System.Globalization;
using System.Text.Json.Nodes;
using ContentPortal.Web.Tests.Infrastructure;

namespace ContentPortal.Web.Tests.Feed;

/// <summary>
/// The schema.org JSON-LD renditions against schema.org's published vocabulary: every type is a schema.org
/// type, every property belongs to its node's type (or a supertype), and every value is of one of the
/// property's ranges (Text, URL as an absolute URL, Date, a number, or a node of a range type). No NuGet
/// package serves the vocabulary, so schemaorg-subset.json holds the rows of schemaorg-current-https (release
/// 30.0) for the types and properties the rendition uses, copied unedited.
/// </summary>
public sealed class SchemaOrgVocabularyTests : FeedAppTests
{
    private static readonly JsonNode Vocabulary = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Feed", "schemaorg-subset.json")))!;

    [Theory]
    [InlineData("/api/v1/feed?format=jsonld")]
    [InlineData("/api/v1/articles/lower-back-pain-when-lying-down?format=jsonld")]
    [InlineData("/api/v1/red-flag-lists/lower-back-pain-when-to-see-a-doctor?format=jsonld")]
    public async Task Every_node_uses_schema_org_types_properties_and_ranges(string url)
    {
        AssertSchemaOrg(await client.GetStringAsync(url));
    }

    /// <summary>Asserts a JSON-LD answer uses only schema.org types, their properties and values of their ranges.</summary>
    internal static void AssertSchemaOrg(string json)
    {
        var root = JsonNode.Parse(json)!.AsObject();

        Assert.Equal("https://schema.org", (string?)root["@context"]);
        var problems = new List<string>();
        CheckNode(root, "$", problems);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Text_is_plain_headlines_are_never_empty_and_urls_use_the_public_base_url()
    {
        var feed = JsonNode.Parse(await client.GetStringAsync("/api/v1/feed?format=jsonld"))!;

        Assert.Equal("https://feed.example.org/api/v1/snapshots/1", (string?)feed["url"]);
        Assert.Equal(System.Text.Json.JsonValueKind.String, feed["identifier"]!.GetValueKind());
        var pages = feed["dataFeedElement"]!.AsArray();
        Assert.All(pages, page => Assert.StartsWith("https://feed.example.org/api/v1/", (string?)page!["url"], StringComparison.Ordinal));
        var texts = pages.Select(p => p!).Where(p => p["text"] is not null)
            .SelectMany(p => p["hasPart"]!.AsArray().Select(part => (string)part!["text"]!).Append((string)p["text"]!)).ToList();
        Assert.NotEmpty(texts);
        Assert.All(texts, text => Assert.DoesNotMatch("<[a-zA-Z/!]", text));
        var parts = pages.Where(p => p!["hasPart"] is not null).SelectMany(p => p!["hasPart"]!.AsArray()).ToList();
        Assert.All(parts, part => Assert.True(part!["headline"] is null || ((string)part["headline"]!).Length > 0));
    }

    [Fact]
    public async Task Without_a_configured_public_base_url_urls_come_from_the_request()
    {
        await using var unset = new PortalFactory(PortalOptions.WithFakeClock() with { FeedPublicBaseUrl = "" });
        using var anonymous = unset.CreateClient(new() { BaseAddress = new Uri("http://consumer.test:8080/") });

        var page = JsonNode.Parse(await anonymous.GetStringAsync("/api/v1/articles/lower-back-pain-when-lying-down?format=jsonld"))!;

        Assert.Equal("http://consumer.test:8080/api/v1/articles/lower-back-pain-when-lying-down", (string?)page["url"]);
    }

    private static void CheckNode(JsonObject node, string path, List<string> problems)
    {
        var type = (string?)node["@type"];
        if (type is null || Vocabulary["types"]![type] is null)
        {
            problems.Add($"{path}: @type {type ?? "(none)"} is not a schema.org type");
            return;
        }

        foreach (var (name, value) in node)
        {
            if (name.StartsWith('@'))
            {
                continue;
            }

            if (Vocabulary["properties"]![name] is not { } property)
            {
                problems.Add($"{path}.{name}: not a schema.org property");
                continue;
            }

            var domains = property["domainIncludes"]!.AsArray().Select(d => (string)d!).ToHashSet();
            if (!Ancestry(type).Any(domains.Contains))
            {
                problems.Add($"{path}.{name}: not a property of {type} (its domains: {string.Join(", ", domains)})");
            }

            var ranges = property["rangeIncludes"]!.AsArray().Select(r => (string)r!).ToList();
            foreach (var item in value is JsonArray array ? array.ToList() : [value])
            {
                CheckValue(item, ranges, $"{path}.{name}", problems);
            }
        }
    }

    private static void CheckValue(JsonNode? value, List<string> ranges, string path, List<string> problems)
    {
        switch (value)
        {
            case JsonObject node:
                var type = (string?)node["@type"] ?? "";
                if (!Ancestry(type).Any(ranges.Contains))
                {
                    problems.Add($"{path}: a {type} where schema.org expects {string.Join(" or ", ranges)}");
                }

                CheckNode(node, path, problems);
                break;
            case JsonValue scalar when scalar.TryGetValue<string>(out var text):
                var fits = ranges.Any(range => range switch
                {
                    "Text" => true,
                    "URL" => Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
                    "Date" => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
                    "DateTime" => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _) && text.Contains('T'),
                    // An enumeration member by its URL, e.g. https://schema.org/TreatmentsHealthAspect.
                    _ when Vocabulary["enumerationMembers"]![range] is JsonArray members =>
                        text.StartsWith("https://schema.org/", StringComparison.Ordinal) && members.Any(m => (string?)m == text["https://schema.org/".Length..]),
                    _ => false,
                });
                if (!fits || text.Length == 0)
                {
                    problems.Add($"{path}: \"{text}\" is not {string.Join(" or ", ranges)}");
                }

                break;
            case JsonValue number when number.TryGetValue<double>(out var figure):
                if (!ranges.Contains("Number") && !(ranges.Contains("Integer") && figure == Math.Floor(figure)))
                {
                    problems.Add($"{path}: the number {figure} where schema.org expects {string.Join(" or ", ranges)}");
                }

                break;
            default:
                problems.Add($"{path}: {value?.ToJsonString() ?? "null"} is not a schema.org value");
                break;
        }
    }

    /// <summary>A type and its supertypes, by subTypeOf.</summary>
    private static IEnumerable<string> Ancestry(string type)
    {
        var seen = new HashSet<string>();
        var next = new Queue<string>([type]);
        while (next.TryDequeue(out var current))
        {
            if (seen.Add(current) && Vocabulary["types"]![current] is JsonArray supertypes)
            {
                foreach (var supertype in supertypes)
                {
                    next.Enqueue((string)supertype!);
                }
            }
        }

        return seen;
    }
}
