using Ganss.Xss;
using Markdig;

namespace ContentPortal.Web.Infrastructure;

/// <summary>
/// The one Markdown pipeline: used by the feed, the review screen and every preview, so editors see
/// what consumers get. Raw HTML is disabled in Markdig, and the output is still sanitized, because
/// Markdig is not a sanitizer (links like javascript: and odd attributes get through it).
/// </summary>
public static class Markdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .Build();

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    public static string ToSafeHtml(string markdown) => Sanitizer.Sanitize(Markdig.Markdown.ToHtml(markdown, Pipeline));

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
