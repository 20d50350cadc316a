using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using ContentPortal.Web.Infrastructure;

namespace ContentPortal.Web.Feed;

/// <summary>
/// Splits an article body into sections at its level 1 and 2 headings (deeper headings stay inside a
/// section). Text before the first heading is a section with an empty headline.
/// </summary>
public static class Sections
{
    public static IReadOnlyList<FeedSection> Split(string markdown)
    {
        var document = Markdown.Parse(markdown);
        var headings = document.OfType<HeadingBlock>().Where(h => h.Level <= 2).ToList();
        var sections = new List<FeedSection>();
        var intro = markdown[..(headings.Count > 0 ? headings[0].Span.Start : markdown.Length)];
        if (!string.IsNullOrWhiteSpace(intro))
        {
            sections.Add(new FeedSection(1, "", Markdown.ToSafeHtml(intro).Trim()));
        }

        for (var i = 0; i < headings.Count; i++)
        {
            var heading = headings[i];
            var start = heading.Span.End + 1;
            var end = i + 1 < headings.Count ? headings[i + 1].Span.Start : markdown.Length;
            var text = start < end ? markdown[start..end] : "";
            sections.Add(new FeedSection(sections.Count + 1, PlainText(heading.Inline).Trim(), Markdown.ToSafeHtml(text).Trim()));
        }

        return sections;
    }

    private static string PlainText(ContainerInline? inline)
    {
        if (inline is null)
        {
            return "";
        }

        var text = new System.Text.StringBuilder();
        foreach (var child in inline)
        {
            switch (child)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
                case LineBreakInline:
                    text.Append(' ');
                    break;
                case ContainerInline container:
                    text.Append(PlainText(container));
                    break;
            }
        }

        return text.ToString();
    }
}
