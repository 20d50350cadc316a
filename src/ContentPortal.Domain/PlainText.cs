using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ContentPortal.Domain;

/// <summary>
/// A piece of prose whose end is always the end of a sentence: a paragraph, a heading, a list item's
/// paragraph, a table row, or a red flag's symptom or advice. <paramref name="Where"/> says where it is
/// for a person ("Line 12", "Red flag 2, advice").
/// </summary>
public sealed record TextBlock(string Where, string Text);

/// <summary>What readers read of an article, as plain text: Markdown structure, code and bare URLs removed.</summary>
public static partial class PlainText
{
    // Abbreviations whose full stop does not end a sentence. Lower case, without the final full stop.
    private static readonly HashSet<string> Abbreviations =
        ["e.g", "i.e", "etc", "eg", "ie", "dr", "mr", "mrs", "ms", "prof", "vs", "approx", "cf", "fig", "incl", "max", "min"];

    public static MarkdownDocument Parse(string markdown) => Markdown.Parse(markdown ?? "", ArticleMarkdown.Pipeline);

    /// <summary>The article's prose blocks in reading order; code blocks and thematic breaks have none.</summary>
    public static IReadOnlyList<TextBlock> Blocks(string markdown) => Blocks(Parse(markdown));

    public static IReadOnlyList<TextBlock> Blocks(MarkdownDocument document)
    {
        var blocks = new List<TextBlock>();
        Walk(document, blocks);
        return blocks;
    }

    /// <summary>Markdig counts lines from 0; people count from 1.</summary>
    /// <summary>The text of every heading, in order (what a reference's section must name).</summary>
    public static IReadOnlyList<string> Headings(string markdown) =>
        Parse(markdown).Descendants<HeadingBlock>().Select(h => InlineText(h).Trim()).Where(t => t.Length > 0).ToList();

    public static string LineOf(MarkdownObject node) => $"Line {node.Line + 1}";

    private static void Walk(ContainerBlock container, List<TextBlock> blocks)
    {
        foreach (var block in container)
        {
            switch (block)
            {
                case Table table:
                    // A row reads as one unit ("Fever | Call your GP"): its cells joined, ended like a sentence.
                    foreach (var row in table.OfType<TableRow>())
                    {
                        var cells = row.OfType<TableCell>()
                            .SelectMany(cell => cell.OfType<LeafBlock>())
                            .Select(InlineText)
                            .Where(text => text.Length > 0);
                        Add(blocks, LineOf(row), string.Join(" ", cells));
                    }

                    break;
                case ContainerBlock inner: // lists, list items, quotes
                    Walk(inner, blocks);
                    break;
                case HeadingBlock or ParagraphBlock:
                    Add(blocks, LineOf(block), InlineText((LeafBlock)block));
                    break;

                // Code blocks, thematic breaks, link reference definitions: nothing a reader reads as prose.
            }
        }
    }

    private static void Add(List<TextBlock> blocks, string where, string text)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            blocks.Add(new TextBlock(where, text.Trim()));
        }
    }

    /// <summary>The words of a heading or paragraph: links by their text; inline code, images and bare URLs left out.</summary>
    public static string InlineText(LeafBlock block)
    {
        var text = new StringBuilder();
        AppendInlines(block.Inline, text);
        return Whitespace().Replace(text.ToString(), " ").Trim();
    }

    private static void AppendInlines(ContainerInline? container, StringBuilder text)
    {
        for (var inline = container?.FirstChild; inline is not null; inline = inline.NextSibling)
        {
            switch (inline)
            {
                case LinkInline { IsAutoLink: true } or LinkInline { IsImage: true } or AutolinkInline or CodeInline:
                    break;
                case LiteralInline literal:
                    text.Append(literal.Content.ToString());
                    break;
                case HtmlEntityInline entity:
                    text.Append(entity.Transcoded.ToString());
                    break;
                case LineBreakInline:
                    text.Append(' ');
                    break;
                case ContainerInline inner: // links (by their text), emphasis
                    AppendInlines(inner, text);
                    break;
            }
        }
    }

    /// <summary>
    /// The sentences of one block. A sentence ends at . ! or ? (and any closing quote or bracket) followed
    /// by a space or the end, except after an abbreviation such as "e.g." or "Dr."; a decimal such as 2.5
    /// has no space after its point, so it never ends one. The end of the block always ends a sentence.
    /// Known limit: "etc." that really ends a sentence does not split it from the next.
    /// </summary>
    public static IReadOnlyList<string> Sentences(string block)
    {
        var sentences = new List<string>();
        var start = 0;
        var i = 0;
        while (i < block.Length)
        {
            if (block[i] is not ('.' or '!' or '?'))
            {
                i++;
                continue;
            }

            var mark = i;
            while (i < block.Length && block[i] is ('.' or '!' or '?'))
            {
                i++;
            }

            while (i < block.Length && block[i] is ('"' or '\'' or '”' or '’' or ')' or ']'))
            {
                i++;
            }

            var atBoundary = i == block.Length || char.IsWhiteSpace(block[i]);
            var isAbbreviation = i - mark == 1 && block[mark] == '.' && Abbreviations.Contains(WordBefore(block, mark));
            if (atBoundary && !isAbbreviation)
            {
                AddSentence(sentences, block[start..i]);
                start = i;
            }
        }

        AddSentence(sentences, block[start..]);
        return sentences;
    }

    /// <summary>The letters and inner full stops just before position <paramref name="end"/>, lower case: "e.g" in "e.g.".</summary>
    private static string WordBefore(string text, int end)
    {
        var begin = end;
        while (begin > 0 && (char.IsLetter(text[begin - 1]) || text[begin - 1] == '.'))
        {
            begin--;
        }

        return text[begin..end].ToLowerInvariant();
    }

    private static void AddSentence(List<string> sentences, string text)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            sentences.Add(text.Trim());
        }
    }

    /// <summary>
    /// The words of a sentence: runs of letters and digits, joined by an apostrophe, hyphen or inner full
    /// stop (don't, anti-inflammatory, 2.5). URLs and email addresses are not words a reader reads.
    /// </summary>
    public static IReadOnlyList<string> Words(string sentence) =>
        Word().Matches(WithoutUrls(sentence)).Select(m => m.Value).ToList();

    /// <summary>The text with web and email addresses removed (plain-text fields are not parsed as Markdown).</summary>
    public static string WithoutUrls(string text) => MayHoldUrl(text) ? Url().Replace(text, " ") : text;

    // Every address the pattern below matches holds an @, a : (scheme://, mailto:) or "www.": most sentences hold
    // none, and skip the pattern's pass over them.
    private static bool MayHoldUrl(string text) =>
        text.AsSpan().IndexOfAny('@', ':') >= 0 || text.Contains("www.", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*")]
    private static partial Regex Word();

    // An email address is tried only where a run of non-spaces starts: "\S+@" tried at every position took
    // quadratic time on a long run without spaces (a 200 KB body took minutes).
    [GeneratedRegex(@"(?:\b(?:https?|ftp)://|\bmailto:|\bwww\.)\S+|(?<!\S)[^\s@]+@\S+\.\S+", RegexOptions.IgnoreCase)]
    private static partial Regex Url();
}
