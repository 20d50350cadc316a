using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContentPortal.Domain;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Task = System.Threading.Tasks.Task;

namespace ContentPortal.Web.Tests.Feed;

/// <summary>
/// Health aspects in the feed: <c>sections[].aspect</c> (valid against feed.schema.json), <c>?aspects=</c> on the
/// article endpoint (only those sections, its own ETag, 400 naming an unknown aspect), JSON-LD <c>hasHealthAspect</c>
/// and FHIR section codes (validated with Firely's validator).
/// </summary>
public sealed class HealthAspectsFeedTests : FeedAppTests
{
    private const string Article = "lower-back-pain-when-lying-down";
    private const string Body = "Most back pain gets better.\n\n## What causes it\n\nStrain.\n\n## How to ease it\n\nKeep moving.\n\n## When to get help\n\nCall 111.\n\n## Gardening\n\nBend your knees.";

    private Task PublishWithAspectsAsync() => PublishAsync(
        new("", HealthAspect.Overview), new("What causes it", HealthAspect.Causes), new("How to ease it", HealthAspect.Treatments), new("When to get help", HealthAspect.SeeDoctor));

    private async Task PublishAsync(params SectionAspect[] aspects)
    {
        await app.ApproveNewVersionAsync(Article, c => c with { BodyMarkdown = Body, Aspects = aspects }, "Health aspects chosen");
        await app.PublishAsync();
    }

    [Fact]
    public async Task Sections_carry_the_chosen_aspect_and_none_when_none_was_chosen()
    {
        await PublishWithAspectsAsync();

        var json = await client.GetStringAsync($"/api/v1/articles/{Article}");
        var sections = JsonNode.Parse(json)!["sections"]!.AsArray();

        Assert.Equal(
            [("", "Overview"), ("What causes it", "Causes"), ("How to ease it", "Treatments"), ("When to get help", "SeeDoctor"), ("Gardening", null)],
            sections.Select(s => ((string)s!["headline"]!, (string?)s["aspect"])).ToList());
        Assert.False(sections[4]!.AsObject().ContainsKey("aspect"));
        FeedSchemaCheck.AssertValid(await FeedSchemaCheck.LoadAsync(client), json, "article");
        FeedSchemaCheck.AssertInvalid(await FeedSchemaCheck.LoadAsync(client), """{ "position": 1, "headline": "", "text": "", "aspect": "MedicalHelpUrgent" }""", "section");
    }

    [Fact]
    public async Task Aspects_picks_only_those_sections_with_an_etag_of_its_own()
    {
        await PublishWithAspectsAsync();

        var whole = await client.GetAsync($"/api/v1/articles/{Article}");
        var picked = await client.GetAsync($"/api/v1/articles/{Article}?aspects=Treatments,SeeDoctor");
        var reordered = await client.GetAsync($"/api/v1/articles/{Article}?aspects=seedoctor,Treatments");
        var item = JsonNode.Parse(await picked.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, picked.StatusCode);
        Assert.Equal(["How to ease it", "When to get help"], item["sections"]!.AsArray().Select(s => (string)s!["headline"]!).ToList());
        Assert.Equal([3, 4], item["sections"]!.AsArray().Select(s => (int)s!["position"]!).ToList());
        Assert.Equal((string?)JsonNode.Parse(await whole.Content.ReadAsStringAsync())!["contentHash"], (string?)item["contentHash"]);
        Assert.NotEqual(whole.Headers.ETag, picked.Headers.ETag);
        Assert.Equal(picked.Headers.ETag, reordered.Headers.ETag);
        FeedSchemaCheck.AssertValid(await FeedSchemaCheck.LoadAsync(client), item.ToJsonString(), "article");

        var again = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/articles/{Article}?aspects=Treatments,SeeDoctor");
        again.Headers.IfNoneMatch.Add(picked.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);
        var stale = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/articles/{Article}?aspects=Causes");
        stale.Headers.IfNoneMatch.Add(picked.Headers.ETag!);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(stale)).StatusCode);
    }

    [Theory]
    [InlineData("aspects=MedicalHelpUrgent", "MedicalHelpUrgent")]
    [InlineData("aspects=Treatments,Cures,Gossip", "Cures, Gossip")]
    [InlineData("aspects=", "comma list")]
    [InlineData("aspects=Treatments&aspects=Causes", "once")]
    public async Task An_unknown_aspect_is_a_400_problem_naming_it(string query, string named)
    {
        var response = await client.GetAsync($"/api/v1/articles/{Article}?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(named, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_ld_parts_with_an_aspect_are_HealthTopicContent_with_the_schema_org_member()
    {
        await PublishWithAspectsAsync();

        var json = await client.GetStringAsync($"/api/v1/articles/{Article}?format=jsonld");
        SchemaOrgVocabularyTests.AssertSchemaOrg(json);
        var page = JsonNode.Parse(json)!;
        var parts = page["hasPart"]!.AsArray();

        Assert.Equal("HealthTopicContent", (string?)parts[2]!["@type"]);
        Assert.Equal("https://schema.org/TreatmentsHealthAspect", (string?)parts[2]!["hasHealthAspect"]);
        Assert.Equal("https://schema.org/SeeDoctorHealthAspect", (string?)parts[3]!["hasHealthAspect"]);
        Assert.Equal("WebPageElement", (string?)parts[4]!["@type"]);
        Assert.Null(parts[4]!["hasHealthAspect"]);

        var picked = JsonNode.Parse(await client.GetStringAsync($"/api/v1/articles/{Article}?format=jsonld&aspects=Causes"))!;
        Assert.Equal(["https://schema.org/CausesHealthAspect"], picked["hasPart"]!.AsArray().Select(p => (string?)p!["hasHealthAspect"]).ToList());
    }

    [Fact]
    public async Task Fhir_sections_are_coded_with_schema_org_health_aspects_and_validate()
    {
        await PublishWithAspectsAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/articles/{Article}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));

        var document = JsonSerializer.Deserialize<DocumentReference>(
            await (await client.SendAsync(request)).Content.ReadAsStringAsync(), new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector))!;

        FormatsTests.AssertValidFhir(document);
        var composition = Assert.IsType<Composition>(Assert.Single(document.Contained));
        Assert.Equal("#" + composition.Id, document.Context!.Related.Single().Reference);
        Assert.Equal(5, composition.Section.Count);
        var treatments = composition.Section[2];
        Assert.Equal("How to ease it", treatments.Title);
        Assert.Equal(("https://schema.org", "TreatmentsHealthAspect"), (treatments.Code!.Coding[0].System, treatments.Code.Coding[0].Code));
        Assert.Null(composition.Section[4].Code);
        Assert.Contains("Bend your knees.", composition.Section[4].Text!.Div);
    }

    [Fact]
    public async Task An_article_without_aspects_reads_as_before()
    {
        await PublishAsync();

        var item = JsonNode.Parse(await client.GetStringAsync($"/api/v1/articles/{Article}"))!;
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/articles/{Article}?format=fhir");
        var fhir = JsonNode.Parse(await (await client.SendAsync(request)).Content.ReadAsStringAsync())!;

        Assert.All(item["sections"]!.AsArray(), s => Assert.False(s!.AsObject().ContainsKey("aspect")));
        Assert.Null(fhir["contained"]);
        Assert.Null(fhir["context"]);
        Assert.Empty(JsonNode.Parse(await client.GetStringAsync($"/api/v1/articles/{Article}?aspects=Overview"))!["sections"]!.AsArray());
    }
}
