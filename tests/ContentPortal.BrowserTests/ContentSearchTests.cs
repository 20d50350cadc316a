using System.Text.RegularExpressions;
using ContentPortal.Domain;

namespace ContentPortal.BrowserTests;

/// <summary>The content list's search as an editor types it: htmx swaps the results, and a word that matches too much says so.</summary>
public sealed class ContentSearchTests(PortalAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    [Fact]
    public Task A_common_word_lists_the_best_matches_and_says_how_to_narrow_the_search() => RunAsync(async () =>
    {
        const int Max = ContentPortal.Web.Data.DocumentSearch.MaxMatches;
        await App.WithDbAsync(async db =>
        {
            var editor = new Actor("search-editor", "Search Editor", new HashSet<string> { Roles.Editor });
            for (var i = 0; i < Max + 5; i++)
            {
                db.Documents.Add(Document.Create(DocumentKind.Article, $"capybara-{i}", new VersionContent($"Capybara note {i}", "", "", []), editor, DateTime.UtcNow));
            }

            await db.SaveChangesAsync();
        });
        var page = await NewPageAsync();
        await LogInAsync(page, Editor);
        await NavLink(page, "Content").ClickAsync();

        var search = page.GetByLabel("Search", new() { Exact = true });
        var status = page.Locator("#results [role=status]");
        await search.FillAsync("capybara");
        await Expect(status).ToContainTextAsync($"More than {Max} documents match; the {Max} best matches are listed, page 1 of {Max / 50}.");
        await Expect(status).ToContainTextAsync("Add words, or choose a type or status, to narrow the search.");
        await Expect(page.Locator("#results tbody tr")).ToHaveCountAsync(50);
        await Expect(page).ToHaveURLAsync(new Regex(@"q=capybara"));
        await ShotAsync(page, "search-limit");

        // More words: an exact count again. The search matches whole words (issue 28), so "12" is the note
        // numbered 12, not 120 to 129 as the old substring search had it.
        await search.FillAsync("capybara note 12");
        await Expect(status).ToHaveTextAsync("1 document.");
        await Expect(page.Locator("#results tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#results tbody tr")).ToContainTextAsync("Capybara note 12");
        Assert.Empty(BrowserErrors);
    });
}
