using System.Text.RegularExpressions;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests.Pages.Content;

/// <summary>The content list (Pages/Content/Index): htmx asks for the results fragment, a plain request gets the whole page; 50 per page.</summary>
public sealed partial class IndexTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    internal static HttpRequestMessage Htmx(string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("HX-Request", "true");
        return request;
    }

    [Fact]
    public async Task Search_with_htmx_returns_only_the_results_and_without_htmx_the_whole_page()
    {
        var client = (await factory.LoginAsync(Editor)).Http;

        using var fragment = await client.SendAsync(Htmx("/Content?q=TUMOR"));
        var partial = await fragment.Content.ReadAsStringAsync();
        var full = await client.GetStringAsync("/Content?q=TUMOR");

        Assert.StartsWith("<div id=\"results\">", partial.Trim());
        Assert.DoesNotContain("<html", partial);
        Assert.Contains(">Spinal tumor</a>", partial);
        Assert.DoesNotContain(">Pulled muscle or strain</a>", partial); // "tumor" is in neither its title, summary nor body
        Assert.Contains("<html", full);
        Assert.Contains("value=\"TUMOR\"", full); // the search box keeps the query
        Assert.Contains(">Spinal tumor</a>", full);
    }

    [Theory]
    [InlineData("kind=RedFlagList", 1)]
    [InlineData("kind=Article", 5)]
    [InlineData("status=Approved", 6)]
    [InlineData("status=InReview", 0)]
    [InlineData("q=spine&kind=Article", 2)]
    [InlineData("q=spine&kind=RedFlagList", 0)]
    public async Task Filters_narrow_the_list(string query, int rows)
    {
        var client = (await factory.LoginAsync(Reviewer)).Http;

        using var response = await client.SendAsync(Htmx($"/Content?{query}"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(rows, RowPattern().Matches(html).Count);
    }

    [Fact]
    public async Task Fifty_per_page_and_the_second_page_has_the_rest()
    {
        await factory.WithDbAsync(async db =>
        {
            if (!db.Documents.Any(d => d.Slug.StartsWith("paging-")))
            {
                var editor = new Actor("paging-editor", "Paging Editor", new HashSet<string> { Roles.Editor });
                for (var i = 0; i < 55; i++)
                {
                    db.Documents.Add(Document.Create(DocumentKind.Article, $"paging-{i:00}", new VersionContent($"Paging zebra {i:00}", "", "", []), editor, DateTime.UtcNow));
                }

                await db.SaveChangesAsync();
            }

            return 0;
        });
        var client = (await factory.LoginAsync(Editor)).Http;

        using var first = await client.SendAsync(Htmx("/Content?q=zebra&sort=title"));
        var page1 = await first.Content.ReadAsStringAsync();
        using var second = await client.SendAsync(Htmx("/Content?q=zebra&sort=title&p=2"));
        var page2 = await second.Content.ReadAsStringAsync();

        Assert.Equal(50, RowPattern().Matches(page1).Count);
        Assert.Contains("55 documents, page 1 of 2.", page1);
        var next = NextLinkPattern().Match(page1);
        Assert.True(next.Success, page1[page1.IndexOf("pager", StringComparison.Ordinal)..]);
        Assert.Equal("/Content?q=zebra&amp;sort=title&amp;p=2", next.Groups[1].Value); // the next link keeps the filters
        Assert.Equal(5, RowPattern().Matches(page2).Count);
        Assert.Contains(">Paging zebra 54</a>", page2);
        Assert.DoesNotContain(">Paging zebra 00</a>", page2);
    }

    [Fact]
    public async Task Search_finds_the_latest_text_as_typed_and_any_query_is_answered_in_words()
    {
        await factory.WithDbAsync(async db =>
        {
            if (!db.Documents.Any(d => d.Slug == "search-ocelot"))
            {
                var editor = new Actor("search-editor", "Search Editor", new HashSet<string> { Roles.Editor });
                var document = Document.Create(DocumentKind.Article, "search-ocelot", new VersionContent("Search ocelot", "", "The first body names a marmoset.", []), editor, DateTime.UtcNow);
                db.Documents.Add(document);
                await db.SaveChangesAsync();
                // The same draft edited: the search follows the latest text, the old words stop matching.
                document.Edit(document.Latest, new VersionContent("Search ocelot", "", "Now it says Quokka-Tail, 50% \"quoted\" and x_y.", []), null, document.Latest.Revision, editor, DateTime.UtcNow);
                await db.SaveChangesAsync();
            }

            return 0;
        });
        var client = (await factory.LoginAsync(Editor)).Http;

        async Task<string> ResultsAsync(string q)
        {
            using var response = await client.SendAsync(Htmx("/Content?q=" + Uri.EscapeDataString(q)));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }

        Assert.Contains(">Search ocelot</a>", await ResultsAsync("quokka-t")); // case-insensitive, inside a word
        Assert.Contains(">Search ocelot</a>", await ResultsAsync("50%")); // % and _ are the characters typed, not wildcards
        Assert.Contains(">Search ocelot</a>", await ResultsAsync("x_y"));
        Assert.DoesNotContain(">Search ocelot</a>", await ResultsAsync("50%25"));
        Assert.Contains(">Search ocelot</a>", await ResultsAsync("\"quoted\""));
        Assert.Contains(">Search ocelot</a>", await ResultsAsync("ka")); // shorter than a trigram
        Assert.DoesNotContain(">Search ocelot</a>", await ResultsAsync("marmoset")); // only in the earlier text
        foreach (var syntax in new[] { "\"", "NEAR(a b)", "a* OR -b", "^x", "(", "'; --", "\\" })
        {
            Assert.Contains("role=\"status\"", await ResultsAsync(syntax)); // search syntax is text, never an error
        }

        var tooLong = await ResultsAsync(new string('a', IndexModelMaxQuery + 1));
        Assert.Contains($"Search for at most {IndexModelMaxQuery} characters", tooLong);
        Assert.Empty(RowPattern().Matches(tooLong));
    }

    private const int IndexModelMaxQuery = ContentPortal.Web.Pages.Content.IndexModel.MaxQueryLength;


    [Fact]
    public async Task A_history_restore_request_gets_the_whole_page()
    {
        var client = (await factory.LoginAsync(Editor)).Http;
        var request = Htmx("/Content?kind=Article");
        request.Headers.Add("HX-History-Restore-Request", "true");

        using var response = await client.SendAsync(request);

        Assert.Contains("<html", await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("<a href=\"([^\"]*)\"[^>]*rel=\"next\"")]
    private static partial Regex NextLinkPattern();

    [GeneratedRegex("<tr>\\s*<td><a href=\"/Content/Details/")]
    internal static partial Regex RowPattern();
}

/// <summary>The content list's search limit, on a database of its own (it adds 505 documents).</summary>
public sealed class SearchLimitTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static HttpRequestMessage Htmx(string url) => IndexTests.Htmx(url);

    private static readonly Regex Rows = IndexTests.RowPattern();

    [Fact]
    public async Task A_search_lists_at_most_its_limit_the_best_matches_and_says_there_are_more()
    {
        const int Max = ContentPortal.Web.Data.DocumentSearch.MaxMatches;
        await factory.WithDbAsync(async db =>
        {
            if (!db.Documents.Any(d => d.Slug.StartsWith("capping-")))
            {
                var editor = new Actor("capping-editor", "Capping Editor", new HashSet<string> { Roles.Editor });
                var at = DateTime.UtcNow;
                // The five oldest are red-flag lists: past the limit by age, but a type filter still finds them.
                for (var i = 0; i < 5; i++)
                {
                    db.Documents.Add(Document.Create(DocumentKind.RedFlagList, $"capping-{i:000}",
                        new VersionContent($"Capping wombat {i:000}", "", "", [new RedFlagInput("Wombat bite", "See a doctor today.", "Urgent")]), editor, at));
                    await db.SaveChangesAsync();
                }

                for (var i = 5; i < Max + 5; i++)
                {
                    db.Documents.Add(Document.Create(DocumentKind.Article, $"capping-{i:000}", new VersionContent($"Capping wombat {i:000}", "", "", []), editor, at));
                }

                await db.SaveChangesAsync();
            }

            return 0;
        });
        var client = (await factory.LoginAsync(Editor)).Http;

        using var all = await client.SendAsync(Htmx("/Content?q=wombat&sort=title"));
        var page1 = await all.Content.ReadAsStringAsync();
        using var lists = await client.SendAsync(Htmx("/Content?q=wombat&kind=RedFlagList"));
        var listed = await lists.Content.ReadAsStringAsync();
        using var narrowed = await client.SendAsync(Htmx("/Content?q=wombat+1&sort=title"));
        var fewer = await narrowed.Content.ReadAsStringAsync();

        Assert.Contains($"More than {Max} documents match; the {Max} best matches are listed, page 1 of {Max / 50}.", page1);
        Assert.Equal(50, Rows.Matches(page1).Count);
        Assert.Equal(5, Rows.Matches(listed).Count);
        Assert.Contains("5 documents.", listed);
        Assert.Contains("100 documents, page 1 of 2.", fewer); // no word "1": found as typed, in 100 titles, 100 to 199
    }
}
