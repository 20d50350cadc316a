using System.Text.RegularExpressions;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ContentPortal.Domain;

/// <summary>One piece of plain-English advice: which rule, where (for a person: "Line 12", "Red flag 2, advice"), and what to do.</summary>
public sealed record PlainEnglishFinding(string Rule, string Where, string Message);

/// <summary>
/// Plain-English checks a reviewer sees beside the text. They are advice, never a gate: nothing here
/// refuses a save, a submission or an approval. Findings come grouped by rule, each group in reading order.
/// </summary>
public static partial class PlainEnglish
{
    public const string LongSentenceRule = "long-sentence";
    public const string LinkTextRule = "link-text";
    public const string HeadingLevelRule = "heading-level";
    public const string JargonRule = "jargon";

    /// <summary>Above this many words a sentence is hard to follow on first reading.</summary>
    public const int MaxSentenceWords = 25;

    // Link text that says nothing about where the link goes; screen-reader users often hear links out of context.
    private static readonly HashSet<string> VagueLinkTexts = new(StringComparer.OrdinalIgnoreCase)
    {
        "click here", "here", "click", "this link", "click this link", "link", "read more", "more",
        "find out more", "more information", "more info", "this", "this page", "this website",
    };

    /// <summary>
    /// A starter list of medical terms and plain words for them. Callers may pass their own list instead
    /// (every check takes the list as input); matching ignores case and the list's own comparer.
    /// </summary>
    public static IReadOnlyDictionary<string, string> DefaultJargon { get; } =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["NSAIDs"] = "anti-inflammatory painkillers",
            ["analgesic"] = "painkiller",
            ["analgesia"] = "pain relief",
            ["lumbar"] = "lower back",
            ["acute"] = "sudden or severe",
            ["chronic"] = "long-lasting",
            ["benign"] = "not cancer",
            ["malignant"] = "cancer",
            ["haemorrhage"] = "heavy bleeding",
            ["hemorrhage"] = "heavy bleeding",
            ["oedema"] = "swelling",
            ["edema"] = "swelling",
            ["prophylaxis"] = "prevention",
            ["contraindicated"] = "should not be used",
            ["ambulate"] = "walk",
            ["hypertension"] = "high blood pressure",
            ["hypotension"] = "low blood pressure",
            ["myocardial infarction"] = "heart attack",
            ["pyrexia"] = "fever or high temperature",
            ["dyspnoea"] = "shortness of breath",
            ["dyspnea"] = "shortness of breath",
            ["orally"] = "by mouth",
            ["intravenous"] = "into a vein",
            ["renal"] = "kidney",
            ["cardiac"] = "heart",
        }.AsReadOnly();

    /// <summary>Every check over an article body (Markdown).</summary>
    public static IReadOnlyList<PlainEnglishFinding> CheckArticle(string markdown, IReadOnlyDictionary<string, string> jargon)
    {
        var document = PlainText.Parse(markdown);
        var blocks = PlainText.Blocks(document);
        return [.. LongSentences(blocks), .. LinkText(document), .. HeadingLevels(document), .. Jargon(blocks, jargon)];
    }

    /// <summary>The checks that apply to a red-flag list: long sentences and jargon, over each symptom and advice.</summary>
    public static IReadOnlyList<PlainEnglishFinding> CheckRedFlags(IEnumerable<RedFlagInput> flags, IReadOnlyDictionary<string, string> jargon)
    {
        var blocks = Readability.RedFlagBlocks(flags.Select(f => (f.Symptom, f.Advice))).ToList();
        return [.. LongSentences(blocks), .. Jargon(blocks, jargon)];
    }

    /// <summary>A stored red-flag list, in its order.</summary>
    public static IReadOnlyList<PlainEnglishFinding> CheckRedFlags(IEnumerable<RedFlag> flags, IReadOnlyDictionary<string, string> jargon) =>
        CheckRedFlags(flags.OrderBy(f => f.Position).Select(f => new RedFlagInput(f.Symptom, f.Advice, f.Urgency.ToString())), jargon);

    /// <summary>Sentences of more than <see cref="MaxSentenceWords"/> words.</summary>
    public static IEnumerable<PlainEnglishFinding> LongSentences(IEnumerable<TextBlock> blocks)
    {
        foreach (var block in blocks)
        {
            foreach (var sentence in PlainText.Sentences(block.Text))
            {
                var words = PlainText.Words(sentence).Count;
                if (words > MaxSentenceWords)
                {
                    yield return new(LongSentenceRule, block.Where,
                        $"This sentence has {words} words; try to keep sentences to {MaxSentenceWords} or fewer: “{Excerpt(sentence)}”");
                }
            }
        }
    }

    /// <summary>Links whose text does not say where they go ("click here", "read more").</summary>
    public static IEnumerable<PlainEnglishFinding> LinkText(MarkdownDocument document)
    {
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (link.IsImage || link.IsAutoLink)
            {
                continue; // a bare URL shows where it goes
            }

            var text = LinkWords(link);
            if (VagueLinkTexts.Contains(text))
            {
                yield return new(LinkTextRule, PlainText.LineOf(link),
                    $"The link text “{text}” does not say where the link goes; use words that describe the page it opens.");
            }
        }
    }

    /// <summary>
    /// Heading levels that skip a level (## then ####). The article's title is the page's level-1 heading,
    /// so the body's headings start at level 2: a first heading of level 3 skips one, and a level-1
    /// heading in the body is a second page title.
    /// </summary>
    public static IEnumerable<PlainEnglishFinding> HeadingLevels(MarkdownDocument document)
    {
        var previous = 1; // the page title
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            var text = PlainText.InlineText(heading);
            if (heading.Level == 1)
            {
                yield return new(HeadingLevelRule, PlainText.LineOf(heading),
                    $"“{text}” is a level-1 heading, but the article title is already the page's level-1 heading; start body headings at level 2 (##).");
            }
            else if (heading.Level > previous + 1)
            {
                var after = previous == 1 ? "the article title (level 1)" : $"a level-{previous} heading";
                yield return new(HeadingLevelRule, PlainText.LineOf(heading),
                    $"“{text}” is a level-{heading.Level} heading after {after}; use level {previous + 1} ({new string('#', previous + 1)}) so no level is skipped.");
            }

            previous = heading.Level;
        }
    }

    /// <summary>
    /// Terms from <paramref name="jargon"/>, whole words, any case, with their plain alternative: one
    /// finding per term per block. A plural (term + s or es) matches too, and so does the singular of a
    /// term listed in the plural (NSAIDs also finds NSAID).
    /// </summary>
    public static IEnumerable<PlainEnglishFinding> Jargon(IEnumerable<TextBlock> blocks, IReadOnlyDictionary<string, string> jargon)
    {
        var terms = jargon
            .Where(entry => !string.IsNullOrWhiteSpace(entry.Key))
            .Select(entry => (Pattern: TermPattern(entry.Key.Trim()), Plain: entry.Value))
            .ToList();
        foreach (var block in blocks)
        {
            var text = PlainText.WithoutUrls(block.Text);
            foreach (var (pattern, plain) in terms)
            {
                if (pattern.Match(text) is { Success: true } match)
                {
                    yield return new(JargonRule, block.Where, $"“{match.Value}” is medical language; consider “{plain}”.");
                }
            }
        }
    }

    private static Regex TermPattern(string term)
    {
        var words = Regex.Escape(term).Replace("\\ ", " ").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var body = string.Join(@"\s+", words);
        body = term.EndsWith('s') ? body + "?" : body + "(?:s|es)?";
        return new Regex($@"(?<![\p{{L}}\p{{N}}]){body}(?![\p{{L}}\p{{N}}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    private static string LinkWords(LinkInline link)
    {
        var words = string.Concat(link.Descendants<LiteralInline>().Select(l => l.Content.ToString()));
        return Whitespace().Replace(words, " ").Trim().TrimEnd('.', ':', '!', '?', '…').Trim();
    }

    private static string Excerpt(string sentence) => sentence.Length <= 80 ? sentence : sentence[..77].TrimEnd() + "…";

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
