using System.Net;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests;

/// <summary>Two people doing the same thing at the same moment: one wins, the other is told, nobody gets a 500.</summary>
public sealed class ConcurrencyTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Two_saves_of_the_same_revision_at_once_store_one_and_refuse_the_other()
    {
        using var first = await factory.LoginAsync(Editor);
        using var second = await factory.LoginAsync(Editor2);
        var id = await first.CreateDocumentAsync("Racing saves", "racing-saves");

        for (var round = 0; round < 5; round++)
        {
            var a = (await first.GetPageAsync($"/Content/Edit/{id}")).Form("#draft-form").Set("Input.Body", $"A{round}");
            var b = (await second.GetPageAsync($"/Content/Edit/{id}")).Form("#draft-form").Set("Input.Body", $"B{round}");
            var responses = await Task.WhenAll(first.SaveAsync(id, a, htmx: true), second.SaveAsync(id, b, htmx: true));
            var pages = await Task.WhenAll(responses.Select(HtmlPage.ReadAsync));

            // One save wins (200); the other gets the conflict screen (409) with its own text kept.
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
            var lost = Array.FindIndex(responses, r => r.StatusCode == HttpStatusCode.Conflict);
            Assert.Contains("Someone else saved this draft while you were editing", pages[lost].Text);
            Assert.Equal(lost == 0 ? $"A{round}" : $"B{round}", pages[lost].FieldValue("Input.Body"));
            var draft = (await factory.DocumentAsync(id)).Latest;
            Assert.Equal(lost == 0 ? $"B{round}" : $"A{round}", draft.BodyMarkdown);
        }
    }

    [Fact]
    public async Task Two_publishes_at_once_make_one_snapshot_and_refuse_the_other()
    {
        var document = await factory.DocumentAsync("disc-degeneration");
        using (var editor = await factory.LoginAsync(Editor))
        {
            await editor.SubmitAsync(document.Id, "Race.", form => form.Set("Input.Summary", "Wear and tear of the spinal discs."));
        }

        using (var reviewer = await factory.LoginAsync(Reviewer))
        {
            await reviewer.ApproveAsync((await factory.DocumentAsync(document.Id)).Latest.Id);
        }

        var before = await factory.SnapshotIdsAsync();
        using var publisher = await factory.LoginAsync(Publisher);
        using var admin = await factory.LoginAsync(Admin);
        var forms = await Task.WhenAll(
            publisher.GetPageAsync("/Publish").ContinueWith(t => t.Result.Form("#publish-panel form").Set("Note", "one"), TaskScheduler.Default),
            admin.GetPageAsync("/Publish").ContinueWith(t => t.Result.Form("#publish-panel form").Set("Note", "two"), TaskScheduler.Default));
        var responses = await Task.WhenAll(
            publisher.PostFormAsync("/Publish", forms[0], htmx: true),
            admin.PostFormAsync("/Publish", forms[1], htmx: true));
        var pages = await Task.WhenAll(responses.Select(HtmlPage.ReadAsync));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(pages, p => p.Text.Contains($"Published snapshot {before[^1] + 1}.", StringComparison.Ordinal));
        Assert.Single(pages, p => p.Summary.Length > 0);
        Assert.Equal([.. before, before[^1] + 1], await factory.SnapshotIdsAsync());
    }

    [Fact]
    public async Task Two_edit_buttons_at_once_open_one_draft()
    {
        var document = await factory.DocumentAsync("spinal-tumor");
        using var first = await factory.LoginAsync(Editor);
        using var second = await factory.LoginAsync(Editor2);
        var tokens = await Task.WhenAll(first.GetPageAsync($"/Content/Details/{document.Id}"), second.GetPageAsync($"/Content/Details/{document.Id}"));

        var responses = await Task.WhenAll(
            first.PostFormAsync(Steps.DetailsUrl(document.Id, "Open"), [], tokens[0].Token),
            second.PostFormAsync(Steps.DetailsUrl(document.Id, "Open"), [], tokens[1].Token));

        Assert.All(responses, r => Assert.Equal($"/Content/Edit/{document.Id}", r.Headers.Location?.OriginalString));
        var versions = (await factory.DocumentAsync(document.Id)).Versions;
        Assert.Equal(2, versions.Count);
        Assert.Equal(VersionStatus.Draft, versions.Single(v => v.Number == 2).Status);
    }
}
