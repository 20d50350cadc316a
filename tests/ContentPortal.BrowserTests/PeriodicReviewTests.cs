namespace ContentPortal.BrowserTests;

/// <summary>
/// "Keep as it is" end to end (issue 27): a reviewer opens the periodic review from the document page, signs the
/// published version with their password (a wrong one first), the signature shows as a periodic review, and the
/// publisher sees the document as Reviewed and publishes it; the feed item carries the periodic signature.
/// </summary>
public sealed class PeriodicReviewTests(PortalAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private const string Title = "Disc degeneration";
    private const string Meaning = "I have reviewed this content at its periodic review and it remains clinically accurate.";

    [Fact]
    public Task Keep_as_it_is_signs_the_published_version_and_the_next_publish_lists_it_as_reviewed() => RunAsync(async () =>
    {
        var page = await NewPageAsync();

        await LogInAsync(page, Reviewer);
        await OpenDocumentAsync(page, Title);
        await page.GetByRole(AriaRole.Link, new() { Name = "Periodic review of version 1", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Periodic review of version 1", Exact = true })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Keep as it is", Exact = true }).ClickAsync();
        await Expect(page.GetByText($"Your signature means: {Meaning}")).ToBeVisibleAsync();
        await AnswerSigningChecksAsync(page);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("not-my-password-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign: keep as it is", Exact = true }).ClickAsync();
        await Expect(page.GetByText("That password is not right. Nothing was signed.")).ToBeVisibleAsync();
        await AnswerSigningChecksAsync(page);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(App.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign: keep as it is", Exact = true }).ClickAsync();
        await Expect(page.GetByText($"{Title}, version 1, was kept as it is")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = Title, Exact = true, Level = 1 })).ToBeVisibleAsync();
        var signatures = page.GetByRole(AriaRole.Region, new() { Name = "Signatures", Exact = true });
        await Expect(signatures).ToContainTextAsync("Periodic review, kept as it is");
        await Expect(signatures).ToContainTextAsync(Meaning);
        await ShotAsync(page, "periodic-review-kept");
        await LogOutAsync(page);

        await LogInAsync(page, Publisher);
        await NavLink(page, "Publish").ClickAsync();
        var pending = page.Locator("#pending-changes li", new() { HasText = Title });
        await Expect(pending.Locator(".badge")).ToHaveTextAsync("Reviewed");
        await Expect(pending).ToContainTextAsync("kept as it is at its periodic review");
        await page.GetByLabel("Note", new() { Exact = true }).FillAsync("Browser test: disc degeneration kept at its periodic review");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Nothing new has been approved since the current snapshot.")).ToBeVisibleAsync();

        var feed = await page.APIRequest.GetAsync("/api/v1/feed");
        var json = System.Text.Json.Nodes.JsonNode.Parse(await feed.TextAsync())!;
        var item = json["articles"]!.AsArray().Single(i => i!["title"]!.GetValue<string>() == Title)!;
        Assert.Equal("periodic", item["approvals"]!.AsArray()[^1]!["kind"]!.GetValue<string>());
    });
}
