using System.Text;
using System.Text.RegularExpressions;
using ContentPortal.Domain;
using ContentPortal.Web.Infrastructure;

namespace ContentPortal.Web.Pages.Review;

/// <summary>One change the reviewer must judge, with the anchor the summary links to.</summary>
public sealed record ReviewChange(string Anchor, string Where, string What);

/// <summary>A paragraph (Markdown block) of the body as readers see it, changed words marked.</summary>
public sealed record BodyBlock(string Html, bool Changed, string? Anchor);

/// <summary>Paragraphs to show (a change and one paragraph of context either side) or to fold (the rest, one click away).</summary>
public sealed record BodyRun(bool Folded, IReadOnlyList<BodyBlock> Blocks);

/// <summary>
/// The review screen's view of a comparison (issue 26): what changed, listed first with a link to each;
/// the body in readable rendered text with changed words marked and unchanged paragraphs folded; the
/// other changed fields and red flags. Built from the domain's <see cref="ContentComparison"/>.
/// </summary>
public sealed partial class ReviewChanges
{
    // Private-use characters mark the diff through the Markdown pipeline; typed ones are dropped first.
    private const char InsStart = '\uE000', InsEnd = '\uE001', DelStart = '\uE002', DelEnd = '\uE003';

    private ReviewChanges(ContentComparison comparison) => Comparison = comparison;

    public ContentComparison Comparison { get; }

    public List<ReviewChange> Changes { get; } = [];

    /// <summary>Changed fields other than the body (title, summary, codes, references), with their anchors.</summary>
    public List<(FieldDiff Field, string Anchor)> ChangedFields { get; } = [];

    /// <summary>Labels of the fields that did not change.</summary>
    public List<string> UnchangedFields { get; } = [];

    public List<BodyRun> Body { get; } = [];

    /// <summary>Red flags that changed (added, removed, reworded, moved), with their anchors.</summary>
    public List<(FlagDiff Flag, string Anchor)> ChangedFlags { get; } = [];

    public List<FlagDiff> UnchangedFlags { get; } = [];

    public static ReviewChanges Of(ContentComparison comparison)
    {
        var review = new ReviewChanges(comparison);
        foreach (var field in comparison.Fields)
        {
            if (!field.Changed)
            {
                review.UnchangedFields.Add(field.Label);
            }
            else if (field.Field == "Body")
            {
                review.AddBody(field.Segments);
            }
            else
            {
                var anchor = $"change-{field.Field.ToLowerInvariant()}";
                review.ChangedFields.Add((field, anchor));
                review.Changes.Add(new ReviewChange(anchor, field.Label, "changed"));
            }
        }

        foreach (var flag in comparison.Flags)
        {
            if (flag.Change == FlagChange.Unchanged)
            {
                review.UnchangedFlags.Add(flag);
                continue;
            }

            var anchor = $"change-flag-{review.ChangedFlags.Count + 1}";
            review.ChangedFlags.Add((flag, anchor));
            review.Changes.Add(new ReviewChange(anchor, $"Red flag “{(flag.New ?? flag.Old)!.Symptom}”", FlagLabel(flag).ToLowerInvariant()));
        }

        return review;
    }

    public static string FlagLabel(FlagDiff flag) => flag.Change switch
    {
        FlagChange.Added => "Added",
        FlagChange.Removed => "Removed",
        FlagChange.Changed => "Changed",
        FlagChange.Moved => $"Moved from {flag.Before} to {flag.After}",
        _ => "Unchanged",
    };

    private void AddBody(IReadOnlyList<DiffSegment> segments)
    {
        var blocks = new List<(string Marked, bool Changed, string? Section)>();
        var current = new StringBuilder();
        var changed = false;
        string? section = null;
        foreach (var segment in segments)
        {
            // A blank line ends a paragraph; the pieces keep their kind on both sides of it.
            var parts = ParagraphBreak().Split(segment.Text.Replace("\r\n", "\n", StringComparison.Ordinal));
            for (var p = 0; p < parts.Length; p++)
            {
                if (p > 0)
                {
                    Close();
                }

                if (parts[p].Length > 0)
                {
                    Mark(current, segment.Kind, parts[p]);
                    changed |= segment.Kind != DiffKind.Same && parts[p].Trim().Length > 0;
                }
            }
        }

        Close();

        var shown = new bool[blocks.Count];
        for (var i = 0; i < blocks.Count; i++)
        {
            shown[i] = blocks[i].Changed || (i > 0 && blocks[i - 1].Changed) || (i + 1 < blocks.Count && blocks[i + 1].Changed);
        }

        var number = 0;
        for (var i = 0; i < blocks.Count; i++)
        {
            string? anchor = null;
            if (blocks[i].Changed)
            {
                anchor = $"change-body-{++number}";
                Changes.Add(new ReviewChange(anchor, blocks[i].Section is { } s ? $"Body, “{s}”" : "Body, introduction", "paragraph changed"));
            }

            var block = new BodyBlock(Render(blocks[i].Marked), blocks[i].Changed, anchor);
            if (Body.Count > 0 && Body[^1].Folded == !shown[i])
            {
                ((List<BodyBlock>)Body[^1].Blocks).Add(block);
            }
            else
            {
                Body.Add(new BodyRun(!shown[i], new List<BodyBlock> { block }));
            }
        }

        void Close()
        {
            var marked = current.ToString();
            current.Clear();
            var plain = Unmarked(marked, keepDeleted: false).Trim();
            if (plain.StartsWith('#'))
            {
                section = plain.TrimStart('#').Trim();
            }

            if (Unmarked(marked, keepDeleted: true).Trim().Length > 0)
            {
                blocks.Add((marked, changed, section));
            }

            changed = false;
        }
    }

    /// <summary>Adds a piece of text, its changed words wrapped line by line after any list or heading marker, so the Markdown still parses.</summary>
    private static void Mark(StringBuilder into, DiffKind kind, string text)
    {
        text = text.Replace(InsStart.ToString(), "", StringComparison.Ordinal).Replace(InsEnd.ToString(), "", StringComparison.Ordinal)
            .Replace(DelStart.ToString(), "", StringComparison.Ordinal).Replace(DelEnd.ToString(), "", StringComparison.Ordinal);
        if (kind == DiffKind.Same)
        {
            into.Append(text);
            return;
        }

        var (start, end) = kind == DiffKind.Inserted ? (InsStart, InsEnd) : (DelStart, DelEnd);
        var lines = text.Split('\n');
        for (var l = 0; l < lines.Length; l++)
        {
            if (l > 0)
            {
                into.Append('\n');
            }

            var line = lines[l];
            var atLineStart = l > 0 || into.Length == 0 || into[^1] == '\n';
            var prefix = atLineStart ? BlockMarker().Match(line).Value : "";
            var words = line[prefix.Length..];
            into.Append(prefix);
            if (words.Trim().Length > 0)
            {
                into.Append(start).Append(words).Append(end);
            }
            else
            {
                into.Append(words);
            }
        }
    }

    private static string Unmarked(string marked, bool keepDeleted)
    {
        var text = keepDeleted ? marked : DeletedRun().Replace(marked, "");
        return text.Replace(InsStart.ToString(), "", StringComparison.Ordinal).Replace(InsEnd.ToString(), "", StringComparison.Ordinal)
            .Replace(DelStart.ToString(), "", StringComparison.Ordinal).Replace(DelEnd.ToString(), "", StringComparison.Ordinal);
    }

    /// <summary>The paragraph through the portal's Markdown pipeline (sanitized), then the marks as &lt;ins&gt;/&lt;del&gt; with words for screen readers.</summary>
    private static string Render(string marked)
    {
        var html = Markdown.ToSafeHtml(marked, Markdown.ToDocumentPage);
        return MarkInUrl().Replace(html, "")
            .Replace(InsStart.ToString(), "<ins><span class=\"visually-hidden\">[added: </span>", StringComparison.Ordinal)
            .Replace(InsEnd.ToString(), "<span class=\"visually-hidden\">]</span></ins>", StringComparison.Ordinal)
            .Replace(DelStart.ToString(), "<del><span class=\"visually-hidden\">[removed: </span>", StringComparison.Ordinal)
            .Replace(DelEnd.ToString(), "<span class=\"visually-hidden\">]</span></del>", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\n[ \t]*\n\s*")]
    private static partial Regex ParagraphBreak();

    [GeneratedRegex(@"^\s*(#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)?")]
    private static partial Regex BlockMarker();

    [GeneratedRegex("\uE002[^\uE003]*\uE003")]
    private static partial Regex DeletedRun();

    // A mark inside a link's address comes out percent-encoded (or as an entity); it is dropped, the address kept.
    [GeneratedRegex("%EE%80%8[0-3]|&#xE00[0-3];|&#5734[4-7];", RegexOptions.IgnoreCase)]
    private static partial Regex MarkInUrl();
}
