using System.Net;
using System.Text.Json.Nodes;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;

namespace ContentPortal.Web.Tests.Feed;

/// <summary>GET /api/v1/lookup over the seeded snapshot (whose seed carries the codes).</summary>
public sealed class LookupTests : FeedAppTests
{
    private const string Snomed = "http%3A%2F%2Fsnomed.info%2Fsct";
    private const string Icd10 = "http%3A%2F%2Fhl7.org%2Ffhir%2Fsid%2Ficd-10";

    [Theory]
    [InlineData(Snomed, "279039007", new[] { "lower-back-pain-when-lying-down" }, new[] { "lower-back-pain-when-to-see-a-doctor" })]
    [InlineData(Icd10, "M54.5", new[] { "lower-back-pain-when-lying-down" }, new[] { "lower-back-pain-when-to-see-a-doctor" })]
    [InlineData(Icd10, "m45", new[] { "ankylosing-spondylitis" }, new string[0])]
    [InlineData(Snomed, "9631008", new[] { "ankylosing-spondylitis" }, new string[0])]
    [InlineData(Snomed, "386661006", new string[0], new[] { "lower-back-pain-when-to-see-a-doctor" })] // a flag's code
    [InlineData(Snomed, "165232002", new string[0], new[] { "lower-back-pain-when-to-see-a-doctor" })]
    [InlineData(Snomed, "22298006", new string[0], new string[0])] // valid (myocardial infarction), in nothing
    public async Task Finds_items_by_document_and_flag_codes(string system, string code, string[] articles, string[] lists)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/lookup?system={system}&code={code}");
        request.Headers.Add("Origin", "https://app.example");
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var body = await response.Content.ReadAsStringAsync();
        var json = JsonNode.Parse(body)!;
        Assert.Equal(Uri.UnescapeDataString(system), (string?)json["system"]);
        Assert.Equal(code.ToUpperInvariant(), (string?)json["code"]);
        Assert.Equal(articles, json["articles"]!.AsArray().Select(a => (string?)a!["slug"]));
        Assert.Equal(lists, json["redFlagLists"]!.AsArray().Select(a => (string?)a!["slug"]));
        FeedSchemaCheck.AssertValid(await FeedSchemaCheck.LoadAsync(client), body, "lookup");

        // The items are the feed's items, byte for byte.
        foreach (var slug in articles)
        {
            Assert.Equal(JsonNode.Parse(await client.GetStringAsync($"/api/v1/articles/{slug}"))!.ToJsonString(), json["articles"]!.AsArray().Single(a => (string?)a!["slug"] == slug)!.ToJsonString());
        }
    }

    [Fact]
    public async Task Answers_304_to_its_own_etag()
    {
        var url = $"/api/v1/lookup?system={Snomed}&code=386661006";
        var first = await client.GetAsync(url);

        var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var response = await client.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData($"system={Snomed}&code=279039008", "check digit")]
    [InlineData($"system={Snomed}&code=27903900A", "only digits")]
    [InlineData($"system={Snomed}&code=12345", "digits")]
    [InlineData($"system={Icd10}&code=M5", "ICD-10 codes are")]
    [InlineData($"system={Icd10}&code=M54.555", "ICD-10 codes are")]
    [InlineData("system=http%3A%2F%2Floinc.org&code=1234-5", "system must be")]
    [InlineData("code=279039007", "Give system=")]
    [InlineData($"system={Snomed}", "Give the code")]
    [InlineData($"system={Snomed}&code=1&code=2", "once each")]
    public async Task An_invalid_code_or_system_is_a_400_problem(string query, string detail)
    {
        var response = await client.GetAsync($"/api/v1/lookup?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]);
    }

    [Fact]
    public async Task A_code_added_in_a_new_version_is_found_once_that_version_is_published()
    {
        var url = $"/api/v1/lookup?system={Icd10}&code=M51.3";
        Assert.Empty(JsonNode.Parse(await client.GetStringAsync(url))!["articles"]!.AsArray());

        await app.ApproveNewVersionAsync("disc-degeneration", c => c with { Codes = ClinicalCodeInput.ParseLines("ICD-10 M51.3 Disc degeneration") });
        await app.PublishAsync();

        var found = JsonNode.Parse(await client.GetStringAsync(url))!["articles"]!.AsArray();
        Assert.Equal("disc-degeneration", (string?)Assert.Single(found)!["slug"]);
        Assert.Equal(CodeSystems.Icd10, (string?)found[0]!["codes"]![0]!["system"]);
    }
}
