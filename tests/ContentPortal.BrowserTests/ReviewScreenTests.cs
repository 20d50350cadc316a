namespace ContentPortal.BrowserTests;

/// <summary>
/// Issue 26: the review screen leads with what the reviewer must judge. For a one-line change to the seed's
/// overview article it lists the change with a link to it, marks the changed words in rendered text, folds
/// the unchanged paragraphs, keeps the decision in view and stays within three screens at 1366×900.
/// </summary>
public sealed class ReviewScreenTests(PortalAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private const string Title = "Lower back pain when lying down";

    [Fact]
    public Task A_one_line_change_is_listed_marked_and_decided_within_three_screens() => RunAsync(async () =>
    {
        var page = await NewPageAsync();
        await LogInAsync(page, Editor);
        await OpenDocumentAsync(page, Title);
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
        var body = page.GetByLabel("Body", new() { Exact = true });
        var text = await body.InputValueAsync();
        Assert.Contains("switching sleeping positions", text);
        await body.FillAsync(text.Replace("switching sleeping positions", "changing your sleeping position", StringComparison.Ordinal));
        await page.GetByLabel("Change note", new() { Exact = true }).FillAsync("Plainer wording.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit for review", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Version 2 was submitted for review.")).ToBeVisibleAsync();
        await LogOutAsync(page);

        await page.SetViewportSizeAsync(1366, 900);
        await LogInAsync(page, Reviewer);
        await NavLink(page, "Review").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = Title, Exact = true }).ClickAsync();

        // One change, listed with a link to it, the words marked in rendered text (no Markdown to read).
        var summary = page.Locator("ol.change-summary li");
        await Expect(summary).ToHaveCountAsync(1);
        await Expect(summary).ToContainTextAsync("paragraph changed");
        await Expect(page.Locator(".rendered-diff ins").First).ToContainTextAsync("changing your");
        await Expect(page.Locator(".rendered-diff del").First).ToContainTextAsync("switching");
        await Expect(page.Locator(".rendered-diff")).Not.ToContainTextAsync("## ");
        await summary.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.Locator(".rendered-diff .block.changed")).ToBeInViewportAsync();

        // The decision is in view wherever the reviewer is in the page, and the page is at most three screens tall.
        var approve = page.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true });
        await page.EvaluateAsync("() => window.scrollTo(0, document.body.scrollHeight)");
        await Expect(approve).ToBeInViewportAsync();
        var height = await page.EvaluateAsync<int>("() => document.body.scrollHeight");
        Assert.True(height <= 2700, $"the review screen is {height} px tall at 1366×900");
        await ShotAsync(page, "review-1366");

        // Unchanged paragraphs are folded, one click away, and so is the full document.
        var folded = page.Locator(".rendered-diff details.folded").First;
        await Expect(folded.Locator(".block").First).Not.ToBeVisibleAsync();
        await folded.Locator("summary").ClickAsync();
        await Expect(folded.Locator(".block").First).ToBeVisibleAsync();
        var full = page.Locator("details.full-document");
        await full.Locator("summary").ClickAsync();
        await Expect(full.Locator("article.rendered h2.doc-title")).ToHaveTextAsync(Title);

        // On a phone the decision comes first.
        await page.SetViewportSizeAsync(390, 844);
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await Expect(approve).ToBeInViewportAsync();
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390);
        await ShotAsync(page, "review-390");
        Assert.Empty(BrowserErrors);
    });
}
