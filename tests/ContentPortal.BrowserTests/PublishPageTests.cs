using System.Text.Json.Nodes;

namespace ContentPortal.BrowserTests;

/// <summary>The publisher's page: pending changes, a required note, the new snapshot in the history, roll back.</summary>
public sealed class PublishPageTests(PortalAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private const string Title = "Spinal tumor";

    [Fact]
    public Task Publisher_sees_pending_changes_publishes_with_a_note_and_the_snapshot_appears_in_history() => RunAsync(async () =>
    {
        var page = await NewPageAsync();
        await LogInAsync(page, Publisher);

        // Retire a document from its page: that is the pending change.
        await OpenDocumentAsync(page, Title);
        await page.GetByRole(AriaRole.Button, new() { Name = "Retire", Exact = true }).ClickAsync();
        await Expect(page.GetByText($"\u201c{Title}\u201d is retired: it leaves the feed with the next publish.")).ToBeVisibleAsync();

        await NavLink(page, "Publish").ClickAsync();
        var pending = page.Locator("#pending-changes li");
        await Expect(pending).ToHaveCountAsync(1);
        await Expect(pending.First).ToContainTextAsync("Removed");
        await Expect(pending.First.GetByRole(AriaRole.Link, new() { Name = Title, Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Retired documents" })).ToBeVisibleAsync();
        await ShotAsync(page, "publish-pending");

        // The note is required: the browser refuses to send the form without one.
        var note = page.GetByLabel("Note", new() { Exact = true });
        Assert.True(await note.EvaluateAsync<bool>("el => el.required && !el.checkValidity()"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish", Exact = true }).ClickAsync();
        await Expect(page.Locator("#snapshot-history tbody tr")).ToHaveCountAsync(1);

        await note.FillAsync("Retired the spinal tumour article for review");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Published snapshot 2. The feed now serves it.")).ToBeVisibleAsync();
        await Expect(page.GetByText("Nothing new has been approved since the current snapshot.")).ToBeVisibleAsync();
        var rows = page.Locator("#snapshot-history tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.First).ToContainTextAsync("Retired the spinal tumour article for review");
        await Expect(rows.First).ToContainTextAsync("Pat Publisher");
        await Expect(rows.First.Locator("td").First).ToHaveTextAsync("2");
        await ShotAsync(page, "publish-history");

        // The history's JSON link is that snapshot's exact feed.
        using var http = new HttpClient { BaseAddress = App.BaseAddress };
        var href = await rows.First.GetByRole(AriaRole.Link, new() { Name = "JSON of snapshot 2" }).GetAttributeAsync("href");
        Assert.Equal("/api/v1/snapshots/2", href);
        var snapshot = JsonNode.Parse(await http.GetStringAsync(href!.TrimStart('/')))!;
        Assert.Equal("Retired the spinal tumour article for review", snapshot["snapshot"]!["note"]!.GetValue<string>());
        Assert.DoesNotContain(snapshot["articles"]!.AsArray(), a => a!["title"]!.GetValue<string>() == Title);

        // Roll back to snapshot 1: a new snapshot 3 with the old content.
        await rows.Nth(1).GetByRole(AriaRole.Link, new() { Name = "Republish… snapshot 1" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Republish snapshot 1", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("ul.changes li")).ToHaveCountAsync(0); // retired since: left out, so nothing changes
        await Expect(page.GetByText("holds the same content as the current snapshot")).ToBeVisibleAsync();

        Assert.Empty(await CspViolationsAsync(page));
        Assert.Empty(BrowserErrors);
    });
}
