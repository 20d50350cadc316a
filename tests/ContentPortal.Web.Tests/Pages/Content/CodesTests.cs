using System.Net;
using System.Text.Json.Nodes;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests.Pages.Content;

/// <summary>
/// Clinical codes in the draft editor (Pages/Content/Edit): a bad code is refused at its field with the typed text
/// kept; good codes go into the version, the reviewer's signature and the published feed (issue 13).
/// </summary>
public sealed class CodesTests : IDisposable
{
    private const string RedFlagList = "lower-back-pain-when-to-see-a-doctor";

    private readonly PortalFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Theory]
    [InlineData("SNOMED 279039008 Low back pain", "279039008 is not a valid SNOMED CT identifier: its check digit does not match (Verhoeff).")]
    [InlineData("SNOMED 27903900A", "may contain only digits")]
    [InlineData("ICD-10 M5", "M5 is not an ICD-10 code")]
    [InlineData("ICD-10 M54.555", "M54.555 is not an ICD-10 code")]
    [InlineData("LOINC 1234-5", "LOINC is not a code system the portal knows")]
    [InlineData("ICD-10 M45\nICD-10 M45", "ICD-10 M45 is already on line 1")]
    public async Task A_bad_document_code_is_refused_at_the_Codes_field_with_the_typed_text_kept(string typed, string message)
    {
        using var editor = await factory.LoginAsync(Editor);
        var id = await editor.CreateDocumentAsync("Coded article", "coded-article");
        var before = (await factory.DocumentAsync(id)).Latest;

        var form = (await editor.GetPageAsync($"/Content/Edit/{id}")).Form("#draft-form").Set("Input.Codes", typed).Set("Input.Body", "Typed body.");
        var response = await editor.SaveAsync(id, form);
        var page = await HtmlPage.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, page.FieldError("Input.Codes"));
        Assert.Equal(typed, page.FieldValue("Input.Codes"));
        Assert.Equal("Typed body.", page.FieldValue("Input.Body"));
        var after = (await factory.DocumentAsync(id)).Latest;
        Assert.Equal((before.Revision, 0), (after.Revision, after.Codes.Count));
    }

    [Fact]
    public async Task A_bad_flag_code_is_refused_at_that_flag()
    {
        using var editor = await factory.LoginAsync(Editor);
        var id = (await factory.DocumentAsync(RedFlagList)).Id;
        var form = (await editor.OpenDraftAsync(id)).Form("#draft-form").Set("Input.Flags[2].Codes", "SNOMED 123456");

        var page = await HtmlPage.ReadAsync(await editor.SaveAsync(id, form));

        Assert.Contains("123456 is not a valid SNOMED CT identifier", page.FieldError("Input.Flags[2].Codes"));
        Assert.Equal("SNOMED 123456", page.FieldValue("Input.Flags[2].Codes"));
        Assert.Equal("SNOMED 386661006 Fever", page.FieldValue("Input.Flags[0].Codes")); // the seeded code, as a line
    }

    [Fact]
    public async Task Codes_typed_in_the_editor_are_signed_with_the_version_and_published_in_the_feed()
    {
        using var editor = await factory.LoginAsync(Editor);
        using var reviewer = await factory.LoginAsync(Reviewer);
        using var publisher = await factory.LoginAsync(Publisher);
        var id = (await factory.DocumentAsync(RedFlagList)).Id;

        await editor.SubmitAsync(id, "Code the spreading pain", form => form
            .Set("Input.Flags[2].Codes", "SNOMED 279039007 Low back pain\nicd-10 m54.5")
            .Set("Input.Codes", "SNOMED CT 279039007 |Low back pain|"));
        var version = (await factory.DocumentAsync(id)).Latest;
        Assert.Equal([new ClinicalCode(CodeSystems.Snomed, "279039007", "Low back pain")], version.Codes);
        Assert.Equal(["279039007", "M54.5"], version.Flags.OrderBy(f => f.Position).ElementAt(2).Codes.Select(c => c.Code));
        Assert.Equal(version.ContentHash, version.ComputeHash());

        // The reviewer sees the codes they sign.
        var review = await reviewer.GetPageAsync($"/Review/Version/{version.Id}");
        Assert.Contains("M54.5", review.Text);
        await reviewer.ApproveAsync(version.Id);
        var approved = (await factory.DocumentAsync(id)).Versions.Single(v => v.Id == version.Id);
        Assert.True(approved.Approvals.Single().Verifies(approved));
        Assert.Equal(HttpStatusCode.Redirect, (await publisher.PublishAsync("Codes on the spreading pain flag")).StatusCode);

        var client = factory.CreateClient();
        var item = JsonNode.Parse(await client.GetStringAsync($"/api/v1/red-flag-lists/{RedFlagList}"))!;
        Assert.Equal(["279039007"], item["codes"]!.AsArray().Select(c => (string?)c!["code"]));
        Assert.Equal(["279039007", "M54.5"], item["flags"]![2]!["codes"]!.AsArray().Select(c => (string?)c!["code"]));
        Assert.Equal(["165232002"], item["flags"]![4]!["codes"]!.AsArray().Select(c => (string?)c!["code"])); // untouched flags keep theirs
        var article = JsonNode.Parse(await client.GetStringAsync("/api/v1/articles/spinal-tumor"))!;
        Assert.Empty(article["codes"]!.AsArray()); // an item without codes has an empty array
    }
}
