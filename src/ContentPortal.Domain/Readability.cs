namespace ContentPortal.Domain;

/// <summary>One sentence's share of the score: what the reviewer would rewrite to bring the grade down.</summary>
/// <param name="Index">Position among the measured sentences, from 0.</param>
/// <param name="Where">Where the sentence is, for a person: "Line 12", "Red flag 2, advice".</param>
public sealed record SentenceStat(int Index, string Where, string Text, int Words, int Syllables, int Polysyllables);

/// <summary>
/// How hard a text is to read. SMOG is the main figure: it is the measure health writers are pointed to
/// for patient information, and it counts the long words that make clinical text hard. Flesch–Kincaid
/// grade and Flesch reading ease are given beside it because editors know them from other tools.
/// All three figures are rounded to one decimal (<see cref="Round"/>), the precision the formulas merit.
/// </summary>
/// <param name="Smog">McLaughlin's SMOG grade: 1.0430 × √(polysyllables × 30 / sentences) + 3.1291.</param>
/// <param name="FleschKincaidGrade">0.39 × words/sentences + 11.8 × syllables/words − 15.59. Not clamped: very plain text can go below 0.</param>
/// <param name="FleschReadingEase">206.835 − 1.015 × words/sentences − 84.6 × syllables/words. Not clamped: very plain text can go above 100.</param>
/// <param name="ReadingAge">The SMOG grade + 5 (US grade 1 is age 6), rounded to the nearest year (halves up), from the rounded SMOG shown beside it so the two figures agree.</param>
/// <param name="Polysyllables">Words of three syllables or more.</param>
public sealed record Readability(
    double Smog,
    double FleschKincaidGrade,
    double FleschReadingEase,
    int ReadingAge,
    int Words,
    int Sentences,
    int Polysyllables)
{
    /// <summary>
    /// A text with no words to measure (an empty body, a body that is only code): every figure 0. There is
    /// no grade for no text, so a caller shows "nothing to measure" when <see cref="IsEmpty"/> instead of the 0s.
    /// </summary>
    public static readonly Readability Empty = new(0, 0, 0, 0, 0, 0, 0);

    public int Syllables { get; init; }

    /// <summary>Every measured sentence in reading order.</summary>
    public IReadOnlyList<SentenceStat> SentenceStats { get; init; } = [];

    public bool IsEmpty => Sentences == 0;

    /// <summary>
    /// The <paramref name="count"/> sentences that raise the grade most: most polysyllables first (they drive
    /// SMOG), then most words (they drive Flesch–Kincaid), then reading order. Sentences with neither a
    /// polysyllable nor more words than average are not offered: rewriting them would not help.
    /// </summary>
    public IReadOnlyList<SentenceStat> Hardest(int count)
    {
        var averageWords = Sentences == 0 ? 0 : (double)Words / Sentences;
        return SentenceStats
            .Where(s => s.Polysyllables > 0 || s.Words > averageWords)
            .OrderByDescending(s => s.Polysyllables)
            .ThenByDescending(s => s.Words)
            .ThenBy(s => s.Index)
            .Take(Math.Max(0, count))
            .ToList();
    }

    /// <summary>The rounding every figure gets: one decimal, halves away from zero (6.25 → 6.3).</summary>
    public static double Round(double value) => Math.Round(value, 1, MidpointRounding.AwayFromZero);

    /// <summary>An article's body: Markdown, each heading, paragraph, list item and table row ending a sentence; code and bare URLs left out, links read by their text.</summary>
    public static Readability OfArticle(string markdown) => Of(PlainText.Blocks(markdown));

    /// <summary>A red-flag list as typed: each symptom and each advice is read as (at least) one sentence.</summary>
    public static Readability OfRedFlags(IEnumerable<RedFlagInput> flags) =>
        Of(RedFlagBlocks(flags.Select(f => (f.Symptom, f.Advice))));

    /// <summary>A stored red-flag list, in its order.</summary>
    public static Readability OfRedFlags(IEnumerable<RedFlag> flags) =>
        Of(RedFlagBlocks(flags.OrderBy(f => f.Position).Select(f => (f.Symptom, f.Advice))));

    /// <summary>Plain text (not Markdown): each line ends a sentence, like a block.</summary>
    public static Readability OfText(string text) =>
        Of((text ?? "").Split('\n').Select((line, i) => new TextBlock($"Line {i + 1}", line)));

    /// <summary>The symptom and advice of each flag as blocks, numbered from 1 as the editor shows them.</summary>
    public static IEnumerable<TextBlock> RedFlagBlocks(IEnumerable<(string Symptom, string Advice)> flags)
    {
        var number = 0;
        foreach (var (symptom, advice) in flags)
        {
            number++;
            yield return new TextBlock($"Red flag {number}, symptom", symptom ?? "");
            yield return new TextBlock($"Red flag {number}, advice", advice ?? "");
        }
    }

    /// <summary>The figures over the sentences of these blocks.</summary>
    public static Readability Of(IEnumerable<TextBlock> blocks)
    {
        var stats = new List<SentenceStat>();
        foreach (var block in blocks)
        {
            foreach (var sentence in PlainText.Sentences(block.Text))
            {
                var syllables = PlainText.Words(sentence).Select(ContentPortal.Domain.Syllables.Count).ToList();
                if (syllables.Count == 0)
                {
                    continue; // "…" or a line that was only a URL: no words, so not a sentence to count
                }

                stats.Add(new SentenceStat(stats.Count, block.Where, sentence, syllables.Count, syllables.Sum(), syllables.Count(s => s >= 3)));
            }
        }

        return Of(stats);
    }

    private static Readability Of(IReadOnlyList<SentenceStat> stats)
    {
        if (stats.Count == 0)
        {
            return Empty;
        }

        double sentences = stats.Count;
        double words = stats.Sum(s => s.Words);
        double syllables = stats.Sum(s => s.Syllables);
        double polysyllables = stats.Sum(s => s.Polysyllables);

        var smog = Round(1.0430 * Math.Sqrt(polysyllables * 30 / sentences) + 3.1291);
        var fleschKincaid = Round(0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59);
        var readingEase = Round(206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words));
        var readingAge = (int)Math.Round(smog + 5, MidpointRounding.AwayFromZero);

        return new Readability(smog, fleschKincaid, readingEase, readingAge, (int)words, (int)sentences, (int)polysyllables)
        {
            Syllables = (int)syllables,
            SentenceStats = stats,
        };
    }
}
