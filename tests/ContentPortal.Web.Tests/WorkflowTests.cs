using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests;

/// <summary>The whole path of a change: editor → reviewer → publisher → feed, over HTTP with real tokens.</summary>
public sealed partial class WorkflowTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string Title = "Lower back pain when lying down";
    private const string Sentence = "Workflow test sentence 4711 says roll onto your side before you sit up.";

    [Fact]
    public async Task An_edit_goes_through_review_and_publish_into_the_feed()
    {
        // Editor: find the article in the list, open a draft, add a sentence, save, submit.
        using var editor = await factory.LoginAsync(Editor);
        var list = await editor.GetPageAsync("/Content");
        var link = list.Document.QuerySelectorAll("a").Single(a => a.TextContent.Trim() == Title);
        var id = Guid.Parse(link.GetAttribute("href")!["/Content/Details/".Length..]);

        var edit = await editor.OpenDraftAsync(id);
        Assert.Contains("Edit draft version 2", edit.Text);
        var form = edit.Form("#draft-form");
        Assert.Equal(Title, form.Get("Input.Title"));
        var body = form.Get("Input.Body") + "\n\n" + Sentence + "\n";
        form.Set("Input.Body", body);

        var saved = await HtmlPage.ReadAsync(await editor.SaveAsync(id, form));
        Assert.Equal(HttpStatusCode.OK, saved.Response.StatusCode);
        Assert.Equal("", saved.Summary);
        Assert.Contains("Saved", saved.Document.QuerySelector("#save-status")!.TextContent);
        Assert.Contains(Sentence, saved.FieldValue("Input.Body"));

        var submit = saved.Form("#draft-form").Set("Input.ChangeNote", "Added advice on getting up.");
        var submitted = await editor.PostFormAsync(Steps.EditUrl(id, "Submit"), submit);
        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        Assert.Equal($"/Content/Details/{id}", submitted.Headers.Location?.OriginalString);
        var details = await editor.GetPageAsync($"/Content/Details/{id}");
        Assert.Contains("Version 2 was submitted for review.", details.Text);
        Assert.Contains("In review", details.Text);

        var document = await factory.DocumentAsync(id);
        var v2 = document.Latest;
        Assert.Equal(2, v2.Number);
        Assert.Equal(VersionStatus.InReview, v2.Status);
        Assert.Contains(Sentence, v2.BodyMarkdown);
        Assert.Equal("Added advice on getting up.", v2.ChangeNote);

        // Reviewer: sees it in the queue, approves it.
        using var reviewer = await factory.LoginAsync(Reviewer);
        var queue = await reviewer.GetPageAsync("/Review");
        var queued = queue.Document.QuerySelector($"a[href=\"/Review/Version/{v2.Id}\"]");
        Assert.NotNull(queued);
        Assert.Equal(Title, queued.TextContent.Trim());
        Assert.Contains("Added advice on getting up.", queue.Text);
        var review = await reviewer.GetPageAsync($"/Review/Version/{v2.Id}");
        Assert.Contains(Sentence, review.Document.QuerySelector(".rendered")!.TextContent);

        await reviewer.ApproveAsync(v2.Id, "Reads well.");
        Assert.Contains($"{Title}, version 2, was signed and approved.", (await reviewer.GetPageAsync("/Review")).Text);
        v2 = (await factory.DocumentAsync(id)).Latest;
        Assert.Equal(VersionStatus.Approved, v2.Status);
        Assert.Equal("Dr Rhea Reviewer", v2.ApprovedByName);

        // Publisher: the plan shows the change; publish with a note.
        using var publisher = await factory.LoginAsync(Publisher);
        var plan = await publisher.GetPageAsync("/Publish");
        Assert.Contains("Next snapshot (2)", plan.Text);
        Assert.Contains("v1 → v2", plan.Text);
        var published = await publisher.PublishAsync("Back pain advice update.");
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        Assert.Equal("/Publish", published.Headers.Location?.OriginalString);
        Assert.Contains("Published snapshot 2.", (await publisher.GetPageAsync("/Publish")).Text);
        Assert.Equal([1, 2], await factory.SnapshotIdsAsync());

        // Anyone: the feed serves snapshot 2 with the new text.
        using var anonymous = factory.NewClient();
        var feedResponse = await anonymous.Http.GetAsync("/api/v1/feed");
        Assert.Equal(HttpStatusCode.OK, feedResponse.StatusCode);
        var json = await feedResponse.Content.ReadAsStringAsync();
        using var feed = JsonDocument.Parse(json);
        var snapshot = feed.RootElement.GetProperty("snapshot");
        Assert.Equal(2, snapshot.GetProperty("id").GetInt32());
        Assert.Equal("Pat Publisher", snapshot.GetProperty("publishedBy").GetString());
        Assert.Equal("Back pain advice update.", snapshot.GetProperty("note").GetString());
        var article = feed.RootElement.GetProperty("articles").EnumerateArray()
            .Single(a => a.GetProperty("slug").GetString() == "lower-back-pain-when-lying-down");
        Assert.Equal(id, article.GetProperty("id").GetGuid());
        Assert.Equal(2, article.GetProperty("version").GetInt32());
        Assert.Contains(Sentence, article.GetProperty("bodyMarkdown").GetString());
        Assert.Contains(Sentence, article.GetProperty("bodyHtml").GetString());
        Assert.Equal(v2.ContentHash, article.GetProperty("contentHash").GetString());
        Assert.Equal(6, feed.RootElement.GetProperty("articles").GetArrayLength() + feed.RootElement.GetProperty("redFlagLists").GetArrayLength());

        // People are named in the feed, never by their email.
        Assert.DoesNotMatch(Email(), json);
        Assert.DoesNotContain("contentportal.test", json, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")]
    private static partial Regex Email();
}
