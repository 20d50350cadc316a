using Markdig;

namespace ContentPortal.Domain;

/// <summary>
/// The one Markdown pipeline of the portal: the text the domain measures (<see cref="PlainText"/>) and the
/// HTML readers see (Web/Infrastructure/Markdown.cs) are parsed alike, so they cannot drift apart.
/// </summary>
public static class ArticleMarkdown
{
    /// <summary>Tables, emphasis extras and autolinked bare URLs; raw HTML is shown as text.</summary>
    public static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .Build();
}
