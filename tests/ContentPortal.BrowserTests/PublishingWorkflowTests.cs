using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ContentPortal.BrowserTests;

/// <summary>The whole path a change takes: editor → reviewer → publisher → public feed, through the real UI.</summary>
public sealed partial class PublishingWorkflowTests(PortalAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private const string Title = "Lower back pain when lying down";
    private const string Slug = "lower-back-pain-when-lying-down";
    private const string Sentence = "Browser-test sentence: a firm pillow under the knees eases night-time pain (ref 7Q4Z).";

    [Fact]
    public Task Editor_change_is_reviewed_published_and_served_by_the_feed() => RunAsync(async () =>
    {
        var page = await NewPageAsync();

        // Editor: edit the body, save the draft, submit it.
        await page.GotoAsync("Account/Login");
        await ShotAsync(page, "login");
        await LogInAsync(page, Editor);
        await NavLink(page, "Content").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = Title, Exact = true })).ToBeVisibleAsync();
        await ShotAsync(page, "content-list");
        await page.GetByRole(AriaRole.Link, new() { Name = Title, Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(EditUrl());

        var body = page.GetByLabel("Body", new() { Exact = true });
        var original = await body.InputValueAsync();
        Assert.DoesNotContain(Sentence, original);
        await body.FillAsync(original.TrimEnd() + "\n\n" + Sentence + "\n");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft", Exact = true }).ClickAsync();
        await Expect(page.Locator("#save-status")).ToContainTextAsync("Saved");
        await Expect(page.GetByLabel("Body", new() { Exact = true })).ToHaveValueAsync(new Regex(Regex.Escape(Sentence)));
        await page.GetByLabel("Change note", new() { Exact = true }).FillAsync("Added advice on a pillow under the knees.");
        await ShotAsync(page, "edit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit for review", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Version 2 was submitted for review.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = Title, Exact = true, Level = 1 })).ToBeVisibleAsync();
        await LogOutAsync(page);

        // Reviewer: the queue, the rendered version with the new sentence, Approve.
        await LogInAsync(page, Reviewer);
        await NavLink(page, "Review").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = Title, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Review: {Title} version 2", Level = 1 })).ToBeVisibleAsync();
        // The review screen leads with the changes: the new sentence is shown there, marked as added.
        await Expect(page.Locator("#comparison .block.changed").GetByText(Sentence)).ToBeVisibleAsync();
        await ShotAsync(page, "review");
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();
        await AnswerSigningChecksAsync(page);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(App.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign and approve", Exact = true }).ClickAsync();
        await Expect(page.GetByText($"{Title}, version 2, was signed and approved.")).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/Review/?$"));
        await LogOutAsync(page);

        // Publisher: publish snapshot 2.
        await LogInAsync(page, Publisher);
        await NavLink(page, "Publish").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = Title, Exact = true })).ToBeVisibleAsync(); // listed as a change
        await page.GetByLabel("Note", new() { Exact = true }).FillAsync("Browser test: pillow advice");
        await ShotAsync(page, "publish");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Published snapshot 2. The feed now serves it.")).ToBeVisibleAsync();
        await LogOutAsync(page);

        // The public feed, fetched anonymously from the same server.
        using var http = new HttpClient { BaseAddress = App.BaseAddress };
        using var feed = JsonDocument.Parse(await http.GetStringAsync("api/v1/feed"));
        var root = feed.RootElement;
        Assert.Equal(2, root.GetProperty("snapshot").GetProperty("id").GetInt32());
        Assert.Equal("Browser test: pillow advice", root.GetProperty("snapshot").GetProperty("note").GetString());
        var article = root.GetProperty("articles").EnumerateArray().Single(a => a.GetProperty("slug").GetString() == Slug);
        Assert.Equal(2, article.GetProperty("version").GetInt32());
        Assert.Contains(Sentence, article.GetProperty("bodyHtml").GetString());
        Assert.Contains(Sentence, article.GetProperty("bodyMarkdown").GetString());
        Assert.Empty(BrowserErrors); // no console errors, script errors or CSP violations anywhere on the way
    });

    [GeneratedRegex(@"/Content/Edit/[0-9a-f-]{36}$")]
    private static partial Regex EditUrl();
}
