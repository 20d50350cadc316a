using System.Net;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using NJsonSchema;

namespace ContentPortal.Web.Tests.Feed;

/// <summary>
/// The OpenAPI document (/openapi/v1.json) as a consumer's tools read it: it reads without errors in
/// Microsoft.OpenApi's reader, every operation declares its body, parameters, 304 and problems, and real
/// answers of every endpoint (successes and problems) are valid against the schema it declares for them.
/// </summary>
public sealed class OpenApiContractTests : FeedAppTests
{
    private const string Article = "lower-back-pain-when-lying-down";
    private const string RedFlagList = "lower-back-pain-when-to-see-a-doctor";
    private const string Snomed = "http://snomed.info/sct";

    /// <summary>A real request of each operation (the path template it is under) and the status it answers.</summary>
    public static TheoryData<string, string, HttpStatusCode, string?> Calls => new()
    {
        { "/api/v1/feed", "/api/v1/feed", HttpStatusCode.OK, null },
        { "/api/v1/feed?format=json", "/api/v1/feed", HttpStatusCode.OK, null },
        { "/api/v1/feed?format=xml", "/api/v1/feed", HttpStatusCode.BadRequest, null },
        { "/api/v1/feed", "/api/v1/feed", HttpStatusCode.NotAcceptable, "text/html" },
        { "/api/v1/feed/schema.json", "/api/v1/feed/schema.json", HttpStatusCode.OK, null },
        { $"/api/v1/lookup?system={Snomed}&code=386661006", "/api/v1/lookup", HttpStatusCode.OK, null },
        { "/api/v1/lookup?system=x&code=1", "/api/v1/lookup", HttpStatusCode.BadRequest, null },
        { "/api/v1/snapshots?page=1&pageSize=10", "/api/v1/snapshots", HttpStatusCode.OK, null },
        { "/api/v1/snapshots?pageSize=101", "/api/v1/snapshots", HttpStatusCode.BadRequest, null },
        { "/api/v1/snapshots/1", "/api/v1/snapshots/{id}", HttpStatusCode.OK, null },
        { "/api/v1/snapshots/99", "/api/v1/snapshots/{id}", HttpStatusCode.NotFound, null },
        { "/api/v1/snapshots/1/items?after=1&limit=2", "/api/v1/snapshots/{id}/items", HttpStatusCode.OK, null },
        { "/api/v1/snapshots/1/items?limit=0", "/api/v1/snapshots/{id}/items", HttpStatusCode.BadRequest, null },
        { $"/api/v1/articles/{Article}", "/api/v1/articles/{slug}", HttpStatusCode.OK, null },
        { $"/api/v1/articles/{Article}?format=jsonld", "/api/v1/articles/{slug}", HttpStatusCode.OK, null },
        { "/api/v1/articles/no-such-article", "/api/v1/articles/{slug}", HttpStatusCode.NotFound, null },
        { $"/api/v1/articles/{Article}?aspects=Treatments,Symptoms", "/api/v1/articles/{slug}", HttpStatusCode.OK, null },
        { $"/api/v1/articles/{Article}?aspects=MedicalHelpUrgent", "/api/v1/articles/{slug}", HttpStatusCode.BadRequest, null },
        { $"/api/v1/red-flag-lists/{RedFlagList}", "/api/v1/red-flag-lists/{slug}", HttpStatusCode.OK, null },
        { $"/api/v1/red-flag-lists/{RedFlagList}?format=fhir", "/api/v1/red-flag-lists/{slug}", HttpStatusCode.OK, null },
        { "/api/v1/items?kind=article&fields=id,slug,title&limit=1", "/api/v1/items", HttpStatusCode.OK, null },
        { "/api/v1/items?q=back&limit=200", "/api/v1/items", HttpStatusCode.OK, null },
        { "/api/v1/items?fields=colour", "/api/v1/items", HttpStatusCode.BadRequest, null },
        { "/api/v1/changes?since=0", "/api/v1/changes", HttpStatusCode.OK, null },
        { "/api/v1/changes", "/api/v1/changes", HttpStatusCode.BadRequest, null },
    };

    [Fact]
    public async Task The_document_reads_without_errors_and_every_reference_resolves()
    {
        var text = await client.GetStringAsync("/openapi/v1.json");

        var (document, diagnostic) = OpenApiDocument.Parse(text, "json");

        Assert.NotNull(document);
        Assert.Empty(diagnostic!.Errors.Select(e => $"{e.Pointer}: {e.Message}"));
        Assert.StartsWith("3.1", diagnostic.SpecificationVersion == OpenApiSpecVersion.OpenApi3_1 ? "3.1" : diagnostic.SpecificationVersion.ToString(), StringComparison.Ordinal);
        var json = JsonNode.Parse(text)!;
        var components = json["components"]!["schemas"]!.AsObject();
        var references = Descendants(json).OfType<JsonObject>().Where(o => o["$ref"] is not null).Select(o => o["$ref"]!.GetValue<string>()).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, reference => Assert.True(
            reference.StartsWith("#/components/schemas/", StringComparison.Ordinal) && components.ContainsKey(reference["#/components/schemas/".Length..]),
            $"{reference} does not resolve"));
    }

    [Fact]
    public async Task Every_component_schema_is_the_feed_schemas_own_definition()
    {
        var openApi = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!["components"]!["schemas"]!.AsObject();
        var schema = JsonNode.Parse(await client.GetStringAsync("/api/v1/feed/schema.json"))!["$defs"]!.AsObject();

        Assert.Equal(schema.Select(d => d.Key).Order(), openApi.Select(d => d.Key).Order());
        foreach (var (name, definition) in schema)
        {
            // The same keywords (Microsoft.OpenApi writes them in its own order): compare as sorted JSON.
            var expected = Sorted(JsonNode.Parse(definition!.ToJsonString().Replace("#/$defs/", "#/components/schemas/", StringComparison.Ordinal))!);
            Assert.Equal(expected, Sorted(openApi[name]!));
        }
    }

    [Fact]
    public async Task Every_operation_declares_its_body_304_and_problems_and_heads_mirror_gets()
    {
        var paths = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!["paths"]!.AsObject();

        // The one write route (reader feedback) is a POST with its own tests; every other path is read with GET and HEAD.
        Assert.NotNull(paths["/api/v1/feedback"]!["post"]);
        var reads = paths.Where(p => p.Key != "/api/v1/feedback").ToList();
        Assert.Equal(Calls.Select(c => (string)c[1]).Distinct().Order(), reads.Select(p => p.Key).Order());
        foreach (var (path, item) in reads)
        {
            var get = item!["get"]!;
            Assert.True(get["responses"]!["200"]!["content"]!.AsObject().Count > 0, $"{path}: 200 without a body schema");
            Assert.NotNull(get["responses"]!["304"]);
            foreach (var (status, response) in get["responses"]!.AsObject().Where(r => r.Key[0] is '4'))
            {
                Assert.Equal("#/components/schemas/problem", response!["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>());
            }

            Assert.Equal(
                get["responses"]!.AsObject().Select(r => r.Key).Order(),
                item["head"]!["responses"]!.AsObject().Select(r => r.Key).Order());
        }
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Real_answers_are_valid_against_the_declared_schema_and_their_parameters_are_declared(string url, string path, HttpStatusCode status, string? accept)
    {
        var openApi = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        var operation = openApi["paths"]![path]!["get"]!;
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.Add("Accept", accept);
        }

        var response = await client.SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        var declared = operation["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToHashSet();
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri("http://x" + url).Query);
        Assert.All(query.Keys, name => Assert.Contains(name, declared));
        var mediaType = response.Content.Headers.ContentType!.MediaType!;
        var schema = operation["responses"]![((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture)]!["content"]![mediaType]!["schema"]!;
        if (schema["$ref"] is { } reference)
        {
            var errors = (await Validator(openApi, reference.GetValue<string>())).Validate(await response.Content.ReadAsStringAsync());
            Assert.True(errors.Count == 0, $"{url}: " + string.Join("; ", errors.Select(e => $"{e.Kind} at {e.Path}")));
        }
        else
        {
            // The schema itself and the FHIR and schema.org renditions: JSON objects, validated by their own tests.
            Assert.Equal("object", schema["type"]!.GetValue<string>());
            Assert.IsType<JsonObject>(JsonNode.Parse(await response.Content.ReadAsStringAsync()));
        }
    }

    [Theory]
    [InlineData("/openapi/v1.json")]
    [InlineData("/api/v1/feed")]
    [InlineData("/api/v1/feed/schema.json")]
    [InlineData($"/api/v1/lookup?system={Snomed}&code=386661006")]
    [InlineData("/api/v1/snapshots")]
    [InlineData("/api/v1/snapshots/1")]
    [InlineData("/api/v1/snapshots/1/items")]
    [InlineData($"/api/v1/articles/{Article}")]
    [InlineData($"/api/v1/red-flag-lists/{RedFlagList}")]
    [InlineData("/api/v1/changes?since=0")]
    [InlineData("/api/v1/items?limit=2")]
    public async Task Head_answers_like_get(string url)
    {
        var get = await client.GetAsync(url);
        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
    }

    /// <summary>
    /// The components as one JSON Schema for NJsonSchema, which reads draft-07 "definitions" (see <see cref="FeedSchemaCheck"/>).
    /// </summary>
    private static async Task<JsonSchema> Validator(JsonNode openApi, string reference)
    {
        var definitions = openApi["components"]!["schemas"]!.ToJsonString().Replace("#/components/schemas/", "#/definitions/", StringComparison.Ordinal);
        var all = await JsonSchema.FromJsonAsync($$"""{ "definitions": {{definitions}} }""");
        return all.Definitions[reference["#/components/schemas/".Length..]];
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>().SelectMany(Descendants))
        {
            yield return child;
        }
    }

    private static string Sorted(JsonNode node) => node switch
    {
        // A list of types is a set (Microsoft.OpenApi writes "null" first).
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\"{p.Key}\":{(p.Value is null ? "null" : p.Key == "type" && p.Value is JsonArray types ? string.Join(",", types.Select(t => t!.ToJsonString()).Order()) : Sorted(p.Value))}")) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(v => v is null ? "null" : Sorted(v))) + "]",
        _ => node.ToJsonString(),
    };
}
