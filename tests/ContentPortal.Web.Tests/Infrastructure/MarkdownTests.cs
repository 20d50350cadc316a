using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using ContentPortal.Domain;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests.Infrastructure;

/// <summary>Markdown: text that tries to run script never renders as markup, in pages or in the feed.</summary>
public sealed class MarkdownTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Markdown_with_script_and_javascript_links_never_renders_them_in_pages_or_feed()
    {
        const string hostile = """
            Before <script>alert(1)</script> after.

            A [x](javascript:alert(1)) link, a [y](JaVaScRiPt:alert(2)) link and a [safe](https://example.org/safe) link.

            <img src=x onerror=alert(3)> and <a href="javascript:alert(4)">raw</a>.
            """;
        using var editor = await factory.LoginAsync(Editor);
        var id = await editor.CreateDocumentAsync("Hostile markdown", "hostile-markdown");
        var form = (await editor.GetPageAsync($"/Content/Edit/{id}")).Form("#draft-form").Set("Input.Body", hostile);
        var saved = await editor.SaveAsync(id, form);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("<script>alert(1)</script>", (await factory.DocumentAsync(id)).Latest.BodyMarkdown);

        AssertHarmless("draft details", (await editor.GetPageAsync($"/Content/Details/{id}")).Document.QuerySelector(".rendered")!, expectSafeLink: true);

        await editor.SubmitAsync(id, "Hostile content for the sanitizer.");
        var version = (await factory.DocumentAsync(id)).Latest;
        using var reviewer = await factory.LoginAsync(Reviewer);
        var review = await reviewer.GetPageAsync($"/Review/Version/{version.Id}");
        AssertHarmless("review page", review.Document.QuerySelector(".rendered")!, expectSafeLink: true);
        AssertNoHostileMarkup("review page", review.Html);
        await reviewer.ApproveAsync(version.Id);
        Assert.Equal(VersionStatus.Approved, (await factory.DocumentAsync(id)).Latest.Status);

        using (var publisher = await factory.LoginAsync(Publisher))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await publisher.PublishAsync("Sanitizer test.")).StatusCode);
        }

        var details = await editor.GetPageAsync($"/Content/Details/{id}");
        AssertNoHostileMarkup("details page", details.Html);

        using var anonymous = factory.NewClient();
        using var feed = JsonDocument.Parse(await anonymous.Http.GetStringAsync("/api/v1/feed"));
        var article = feed.RootElement.GetProperty("articles").EnumerateArray().Single(a => a.GetProperty("slug").GetString() == "hostile-markdown");
        Assert.Equal(hostile.Replace("\r\n", "\n"), article.GetProperty("bodyMarkdown").GetString());
        var bodyHtml = article.GetProperty("bodyHtml").GetString()!;
        AssertNoHostileMarkup("feed bodyHtml", bodyHtml);
        AssertHarmless("feed bodyHtml", new HtmlParser().ParseDocument(bodyHtml).Body!, expectSafeLink: true);
    }

    [Theory]
    // A feed item's body and sections go through the sanitizer in one pass: each comes out exactly as alone.
    [InlineData("Plain text.", "")]
    [InlineData("## Causes\n\nBack pain is common.\n\n- Rest\n- Move", "| Symptom | Advice |\n|---|---|\n| Fever | Call |")]
    [InlineData("Before <script>alert(1)</script> after.", "A [x](javascript:alert(1)) and <img src=x onerror=alert(3)>.")]
    [InlineData("</div></div><div>closing the wrapper", "<p>open paragraph\n\n```\n</div><script>x</script>\n```")]
    [InlineData("    indented code </div>", "> quote with **bold\n\n*unclosed emphasis")]
    [InlineData("<table><tr><td>cell", "1. one\n2. two\n\n<https://www.nhs.uk/> and mailto:a@b.org")]
    public void Texts_sanitized_together_come_out_as_each_alone(string first, string second)
    {
        string[] texts = [first, second, "", first + "\n\n" + second];

        var together = ContentPortal.Web.Infrastructure.Markdown.ToSafeHtml(texts);

        Assert.Equal(texts.Select(t => ContentPortal.Web.Infrastructure.Markdown.ToSafeHtml(t)), together);
        foreach (var html in together)
        {
            AssertNoHostileMarkup("sanitized together", html);
        }
    }

    /// <summary>On the raw markup: the hostile HTML may appear only escaped, as text.</summary>
    private static void AssertNoHostileMarkup(string where, string html)
    {
        foreach (var hostile in HostileMarkup)
        {
            var match = hostile.Match(html);
            Assert.False(match.Success, $"{where} has markup {match.Value}: …{(match.Success ? html[Math.Max(0, match.Index - 200)..Math.Min(html.Length, match.Index + 100)] : "")}…");
        }
    }

    private static readonly Regex[] HostileMarkup =
    [
        new(@"<script\b(?![^>]*\bsrc=)", RegexOptions.IgnoreCase),
        new(@"<[a-z][^<>]*\bhref\s*=\s*[""']?\s*javascript", RegexOptions.IgnoreCase),
        new(@"<[a-z][^<>]*\bon[a-z]+\s*=", RegexOptions.IgnoreCase),
        new(@"<img\b", RegexOptions.IgnoreCase),
    ];

    private static void AssertHarmless(string where, IElement rendered, bool expectSafeLink)
    {
        Assert.True(rendered.QuerySelectorAll("script").Length == 0, $"{where}: a <script> element was rendered");
        Assert.True(rendered.QuerySelectorAll("img").Length == 0, $"{where}: an <img> element was rendered");
        foreach (var element in rendered.QuerySelectorAll("*"))
        {
            Assert.DoesNotContain(element.Attributes, a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
            var href = element.GetAttribute("href");
            Assert.False(href is not null && href.Trim().StartsWith("javascript", StringComparison.OrdinalIgnoreCase), $"{where}: href {href}");
        }

        // The text is shown as text, and ordinary links still work.
        Assert.Contains("<script>alert(1)</script>", rendered.TextContent, StringComparison.Ordinal);
        if (expectSafeLink)
        {
            Assert.NotNull(rendered.QuerySelector("a[href=\"https://example.org/safe\"]"));
        }
    }
}
