namespace ContentPortal.BrowserTests;

/// <summary>A reviewer sends a version back; the editor sees why on the document page.</summary>
public sealed class ReviewChangesTests(PortalAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private const string Title = "Disc degeneration";
    private const string Comment = "Please cite a source for the new exercise advice before this goes out.";

    [Fact]
    public Task Reviewer_requests_changes_and_the_editor_sees_status_and_comment() => RunAsync(async () =>
    {
        var page = await NewPageAsync();

        await LogInAsync(page, Editor);
        await OpenDocumentAsync(page, Title);
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
        var body = page.GetByLabel("Body", new() { Exact = true });
        await body.FillAsync((await body.InputValueAsync()).TrimEnd() + "\n\nGentle daily exercise helps most people.\n");
        await page.GetByLabel("Change note", new() { Exact = true }).FillAsync("Added exercise advice.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit for review", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Version 2 was submitted for review.")).ToBeVisibleAsync();
        await LogOutAsync(page);

        await LogInAsync(page, Reviewer);
        await NavLink(page, "Review").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = Title, Exact = true }).ClickAsync();
        await page.GetByLabel("Comment", new() { Exact = true }).FillAsync(Comment);
        await page.GetByRole(AriaRole.Button, new() { Name = "Request changes", Exact = true }).ClickAsync();
        await Expect(page.GetByText($"{Title}, version 2, was sent back to the editors with your comment.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = Title, Exact = true })).ToHaveCountAsync(0); // left the queue
        await LogOutAsync(page);

        await LogInAsync(page, Editor);
        await OpenDocumentAsync(page, Title);
        await Expect(page.Locator("dl.facts")).ToContainTextAsync("Version 2");
        await Expect(page.Locator("dl.facts")).ToContainTextAsync("Changes requested");
        var history = page.GetByRole(AriaRole.Region, new() { Name = "History", Exact = true });
        var v2 = history.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = "v2", Exact = true }) });
        await Expect(v2).ToContainTextAsync("Changes requested");
        await Expect(v2).ToContainTextAsync(Comment);
        await Expect(v2).ToContainTextAsync("Dr Rhea Reviewer");
        Assert.Empty(BrowserErrors);
    });
}
