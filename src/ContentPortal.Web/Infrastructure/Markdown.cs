using ContentPortal.Domain;
using AngleSharp;
using Ganss.Xss;
using Markdig;

namespace ContentPortal.Web.Infrastructure;

/// <summary>
/// The one Markdown renderer: used by the feed, the review screen and every preview, so editors see
/// what consumers get. Raw HTML is disabled in Markdig, and the output is still sanitized, because
/// Markdig is not a sanitizer (links like javascript: and odd attributes get through it).
/// </summary>
public static class Markdown
{
    // Parsed as the domain parses it (ArticleMarkdown), so the text it measures is the text readers see.
    private static readonly MarkdownPipeline Pipeline = ArticleMarkdown.Pipeline;

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    public static string ToSafeHtml(string markdown) => Sanitizer.Sanitize(Markdig.Markdown.ToHtml(markdown, Pipeline));

    /// <summary>
    /// Several texts rendered as <see cref="ToSafeHtml(string)"/> renders each, with one pass of the sanitizer:
    /// an article's feed item is its body and each of its sections, and the sanitizer's parse was most of the
    /// cost of rendering it (issue 28). Each text's HTML is wrapped in a div of its own and the wrappers'
    /// contents are written out one by one. Markdig closes every element it opens (raw HTML is escaped), so a
    /// wrapper holds exactly its text; should the parse ever give other than one div per text, each is
    /// sanitized alone instead. Either way everything returned went through the sanitizer.
    /// </summary>
    public static string[] ToSafeHtml(IReadOnlyList<string> markdowns)
    {
        var html = new System.Text.StringBuilder();
        foreach (var markdown in markdowns)
        {
            html.Append("<div>").Append(Markdig.Markdown.ToHtml(markdown, Pipeline)).Append("</div>");
        }

        using var dom = Sanitizer.SanitizeDom(html.ToString());
        var wrappers = dom.Body?.ChildNodes;
        if (wrappers is null || wrappers.Length != markdowns.Count || wrappers.Any(w => w is not AngleSharp.Html.Dom.IHtmlDivElement { Attributes.Length: 0 }))
        {
            return markdowns.Select(ToSafeHtml).ToArray();
        }

        return wrappers.Select(w => w.ChildNodes.ToHtml(Sanitizer.OutputFormatter)).ToArray();
    }

    /// <summary>
    /// The same rendering, with each link passed through <paramref name="rewriteLink"/> first (portal
    /// pages resolve links between documents; the feed keeps them as written). Still sanitized after.
    /// </summary>
    public static string ToSafeHtml(string markdown, Func<string, string> rewriteLink)
    {
        using var writer = new StringWriter();
        var renderer = new Markdig.Renderers.HtmlRenderer(writer) { LinkRewriter = rewriteLink };
        Pipeline.Setup(renderer);
        renderer.Render(Markdig.Markdown.Parse(markdown, Pipeline));
        writer.Flush();
        return Sanitizer.Sanitize(writer.ToString());
    }

    /// <summary>
    /// For portal pages: a link that is just a slug ("pulled-muscle-or-strain", how articles link to each
    /// other in the feed) goes to that document's page here instead of a relative URL that would not exist.
    /// </summary>
    public static string ToDocumentPage(string url) => Slug.Problem(url) is null ? "/Content/Slug/" + url : url;

    /// <summary>The syntax tree with the same pipeline (the feed splits articles into sections with it).</summary>
    public static Markdig.Syntax.MarkdownDocument Parse(string markdown) => Markdig.Markdown.Parse(markdown, Pipeline);

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedSchemes.Add("http");
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedTags.Remove("img"); // no remote images in clinical text for now: they would track readers.
        return sanitizer;
    }
}
