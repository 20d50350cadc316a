using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContentPortal.Web.Feed;
using ContentPortal.Web.Tests.Infrastructure;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using Task = System.Threading.Tasks.Task;

namespace ContentPortal.Web.Tests.Feed;

/// <summary>
/// The FHIR R4 and schema.org renditions of the seeded snapshot: content negotiation, Vary and ETags, and each
/// rendition parsed and validated (FHIR with Firely's validator against the base R4 profiles) and compared with
/// the JSON item it was made from.
/// </summary>
public sealed class FormatsTests : FeedAppTests
{
    private const string Article = "/api/v1/articles/lower-back-pain-when-lying-down";
    private const string RedFlagList = "/api/v1/red-flag-lists/lower-back-pain-when-to-see-a-doctor";

    // Loading the R4 specification takes seconds; one validator serves every test.
    private static readonly Lazy<Validator> FhirValidator = new(() =>
    {
        var resolver = new CachedResolver(ZipSource.CreateValidationSource());
        return new Validator(resolver, LocalTerminologyService.CreateDefaultForCore(resolver));
    });

    private static readonly JsonSerializerOptions Fhir = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);

    [Fact]
    public async Task A_red_flag_list_as_a_FHIR_PlanDefinition_matches_the_item_and_validates()
    {
        var item = JsonNode.Parse(await client.GetStringAsync(RedFlagList))!;
        var response = await GetAsync(RedFlagList, accept: "application/fhir+json");

        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        var plan = JsonSerializer.Deserialize<PlanDefinition>(await response.Content.ReadAsStringAsync(), Fhir)!;
        AssertValidFhir(plan);
        Assert.Equal((string?)item["id"], plan.Id);
        Assert.Equal(PublicationStatus.Active, plan.Status);
        Assert.Equal(((int)item["version"]!).ToString(), plan.Version);
        Assert.Equal((string?)item["title"], plan.Title);
        Assert.Equal((string?)item["summary"], plan.Description);
        Assert.Equal(((DateTime)item["approvedAt"]!).ToString("yyyy-MM-dd"), plan.ApprovalDate);
        Assert.Equal(item["codes"]!.AsArray().Select(c => (string?)c!["code"]), plan.Topic.Select(t => t.Coding.Single().Code));
        var flags = item["flags"]!.AsArray();
        Assert.Equal(flags.Count, plan.Action.Count);
        for (var i = 0; i < flags.Count; i++)
        {
            Assert.Equal((string?)flags[i]!["symptom"], plan.Action[i].Title);
            Assert.Equal((string?)flags[i]!["advice"], plan.Action[i].Description);
            Assert.Equal(
                (string?)flags[i]!["urgency"] switch { "emergency" => RequestPriority.Stat, "urgent" => RequestPriority.Urgent, _ => RequestPriority.Routine },
                plan.Action[i].Priority);
            Assert.Equal(flags[i]!["codes"]!.AsArray().Select(c => (string?)c!["code"]), plan.Action[i].Code.Select(c => c.Coding.Single().Code));
        }

        Assert.Contains(plan.Action, a => a.Priority == RequestPriority.Stat && a.Code.Any(c => c.Coding[0].Code == "165232002" && c.Coding[0].System == "http://snomed.info/sct"));
    }

    [Fact]
    public async Task An_item_whose_review_is_overdue_carries_a_tag_in_FHIR_and_validates()
    {
        var list = JsonSerializer.Deserialize<FeedRedFlagList>(await client.GetStringAsync(RedFlagList), FeedBuilder.Json)!;
        var article = JsonSerializer.Deserialize<FeedArticle>(await client.GetStringAsync(Article), FeedBuilder.Json)!;
        Assert.Null(FhirRendition.ToPlanDefinition(list).Meta);
        list.ReviewOverdue = true;
        article.ReviewOverdue = true;

        foreach (var resource in new Resource[] { FhirRendition.ToPlanDefinition(list), FhirRendition.ToDocumentReference(article) })
        {
            AssertValidFhir(resource);
            var tag = Assert.Single(Assert.IsType<Meta>(resource.Meta).Tag);
            Assert.Equal((FhirRendition.ReviewStatusSystem, "overdue"), (tag.System, tag.Code));
        }
    }

    [Fact]
    public void The_FHIR_validator_catches_a_resource_that_breaks_the_base_profile()
    {
        // Status is required (1..1) and priority must come from its value set: the check above is a real check.
        var outcome = FhirValidator.Value.Validate(new PlanDefinition { Title = "No status" });

        Assert.Contains(outcome.Issue, i => i.Severity is OperationOutcome.IssueSeverity.Error);
    }

    [Fact]
    public async Task An_article_as_a_FHIR_DocumentReference_carries_both_texts_with_their_hashes_and_validates()
    {
        var item = JsonNode.Parse(await client.GetStringAsync(Article))!;
        var response = await GetAsync($"{Article}?format=fhir");

        var document = JsonSerializer.Deserialize<DocumentReference>(await response.Content.ReadAsStringAsync(), Fhir)!;
        AssertValidFhir(document);
        Assert.Equal(DocumentReferenceStatus.Current, document.Status);
        Assert.Equal((DateTime)item["approvedAt"]!, document.Date!.Value.UtcDateTime);
        Assert.Equal(["279039007", "M54.5"], document.Category.Select(c => c.Coding.Single().Code));
        var html = document.Content.Single(c => c.Attachment.ContentType!.StartsWith("text/html", StringComparison.Ordinal)).Attachment;
        var markdown = document.Content.Single(c => c.Attachment.ContentType!.StartsWith("text/markdown", StringComparison.Ordinal)).Attachment;
        Assert.Equal((string?)item["bodyHtml"], Encoding.UTF8.GetString(html.Data!));
        Assert.Equal((string?)item["bodyMarkdown"], Encoding.UTF8.GetString(markdown.Data!));
        Assert.Equal(SHA1.HashData(markdown.Data!), markdown.Hash);
        Assert.Equal(markdown.Data!.Length, markdown.SizeUnsignedInt);
        Assert.Contains(document.Identifier, i => i.Value == (string?)item["contentHash"]);
    }

    [Fact]
    public async Task The_feed_as_a_FHIR_Bundle_holds_every_item_and_validates()
    {
        var feed = JsonNode.Parse(await client.GetStringAsync("/api/v1/feed"))!;
        var response = await GetAsync("/api/v1/feed", accept: "application/fhir+json");

        var bundle = JsonSerializer.Deserialize<Bundle>(await response.Content.ReadAsStringAsync(), Fhir)!;
        AssertValidFhir(bundle);
        Assert.Equal(Bundle.BundleType.Collection, bundle.Type);
        Assert.Equal(feed["articles"]!.AsArray().Count, bundle.Entry.Count(e => e.Resource is DocumentReference));
        Assert.Equal(feed["redFlagLists"]!.AsArray().Count, bundle.Entry.Count(e => e.Resource is PlanDefinition));
        Assert.All(bundle.Entry, e => Assert.Equal($"urn:uuid:{e.Resource!.Id}", e.FullUrl));
    }

    [Fact]
    public async Task An_article_as_schema_org_MedicalWebPage_about_its_coded_conditions()
    {
        var item = JsonNode.Parse(await client.GetStringAsync(Article))!;
        var page = JsonNode.Parse(await (await GetAsync(Article, accept: "application/ld+json")).Content.ReadAsStringAsync())!;

        Assert.Equal("https://schema.org", (string?)page["@context"]);
        Assert.Equal("MedicalWebPage", (string?)page["@type"]);
        Assert.Equal((string?)item["title"], (string?)page["name"]);
        Assert.Equal((string?)item["summary"], (string?)page["description"]);
        Assert.Equal(ContentPortal.Web.Feed.SchemaOrgRendition.PlainText((string)item["bodyHtml"]!), (string?)page["text"]);
        Assert.DoesNotContain("<", (string?)page["text"], StringComparison.Ordinal);
        Assert.Equal($"https://feed.example.org{Article}", (string?)page["url"]);
        var condition = Assert.Single(page["about"]!.AsArray())!;
        Assert.Equal("MedicalCondition", (string?)condition["@type"]);
        Assert.Equal("Low back pain", (string?)condition["name"]);
        Assert.Equal(
            [("279039007", "SNOMED-CT"), ("M54.5", "ICD-10")],
            condition["code"]!.AsArray().Select(c => ((string?)c!["codeValue"], (string?)c["codingSystem"])));
        Assert.All(condition["code"]!.AsArray(), c => Assert.Equal("MedicalCode", (string?)c!["@type"]));
    }

    [Fact]
    public async Task A_red_flag_list_as_schema_org_has_its_flags_as_MedicalSignOrSymptom()
    {
        var item = JsonNode.Parse(await client.GetStringAsync(RedFlagList))!;
        var page = JsonNode.Parse(await (await GetAsync($"{RedFlagList}?format=jsonld")).Content.ReadAsStringAsync())!;

        Assert.Equal("MedicalWebPage", (string?)page["@type"]);
        var symptoms = page["about"]!["signOrSymptom"]!.AsArray();
        Assert.Equal(item["flags"]!.AsArray().Select(f => (string?)f!["symptom"]), symptoms.Select(s => (string?)s!["name"]));
        Assert.All(symptoms, s => Assert.Equal("MedicalSignOrSymptom", (string?)s!["@type"]));
        var fever = symptoms.Single(s => ((string?)s!["name"] ?? "").Contains("fever", StringComparison.Ordinal))!;
        Assert.Equal("386661006", (string?)fever["code"]![0]!["codeValue"]);
        Assert.Equal("urgent", (string?)fever["identifier"]!["value"]);
    }

    [Theory]
    [InlineData("/api/v1/feed")]
    [InlineData(Article)]
    [InlineData(RedFlagList)]
    public async Task Each_representation_has_its_own_etag_Vary_Accept_and_answers_304(string url)
    {
        var tags = new HashSet<string>();
        foreach (var accept in new[] { "application/json", "application/fhir+json", "application/ld+json" })
        {
            var response = await GetAsync(url, accept: accept);
            Assert.Contains("Accept", response.Headers.Vary);
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            Assert.Equal(accept, response.Content.Headers.ContentType?.MediaType);
            tags.Add(response.Headers.ETag!.Tag);

            var again = new HttpRequestMessage(HttpMethod.Get, url);
            again.Headers.Accept.ParseAdd(accept);
            again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
            Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);
        }

        Assert.Equal(3, tags.Count);
    }

    [Theory]
    [InlineData(null, "application/json")]
    [InlineData("*/*", "application/json")]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/json")]
    [InlineData("application/ld+json;q=0.5, application/fhir+json", "application/fhir+json")]
    [InlineData("application/fhir+json;q=0, application/ld+json", "application/ld+json")]
    [InlineData("application/fhir+json; fhirVersion=4.0", "application/fhir+json")]
    public async Task Accept_chooses_the_representation(string? accept, string mediaType)
    {
        foreach (var url in new[] { "/api/v1/feed", Article })
        {
            var response = await GetAsync(url, accept: accept);
            Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/xml, text/csv")]
    public async Task An_unsupported_Accept_is_a_406_problem_listing_what_is_supported(string accept)
    {
        foreach (var url in new[] { "/api/v1/feed", Article, RedFlagList })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Accept", accept);
            var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var detail = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"];
            Assert.Contains("application/fhir+json", detail);
            Assert.Contains("application/ld+json", detail);
        }
    }

    [Theory]
    [InlineData("xml")]
    [InlineData("")]
    public async Task An_unknown_format_is_a_400_problem(string format)
    {
        foreach (var url in new[] { "/api/v1/feed", Article })
        {
            var response = await client.GetAsync($"{url}?format={format}");

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("fhir", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]);
        }
    }

    [Fact]
    public async Task OpenApi_describes_the_renditions_and_the_lookup()
    {
        var paths = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!["paths"]!;

        Assert.NotNull(paths["/api/v1/lookup"]?["get"]);
        foreach (var path in new[] { "/api/v1/feed", "/api/v1/articles/{slug}", "/api/v1/red-flag-lists/{slug}" })
        {
            var responses = paths[path]!["get"]!["responses"]!;
            var types = responses["200"]!["content"]!.AsObject().Select(c => c.Key).ToList();
            Assert.Superset(new HashSet<string> { "application/json", "application/fhir+json", "application/ld+json" }, types.ToHashSet());
            Assert.NotNull(responses["406"]);
        }
    }

    private async Task<HttpResponseMessage> GetAsync(string url, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    internal static void AssertValidFhir(Resource resource)
    {
        var outcome = FhirValidator.Value.Validate(resource);
        var errors = outcome.Issue.Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{string.Join(",", e.Expression)}: {e.Details?.Text ?? e.Diagnostics}")));
    }
}
