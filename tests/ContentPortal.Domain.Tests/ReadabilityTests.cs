namespace ContentPortal.Domain.Tests;

public class ReadabilityTests
{
    // Two reference sentences, counted by hand:
    //   A = "Take the hospital letter with you."  take 1, the 1, hos-pi-tal 3, let-ter 2, with 1, you 1
    //       → 6 words, 9 syllables, 1 polysyllable
    //   B = "Drink some water."                   drink 1, some 1, wa-ter 2 → 3 words, 4 syllables, 0 polysyllables
    private const string A = "Take the hospital letter with you.";
    private const string B = "Drink some water.";

    // a × A + b × B, one paragraph. Expected figures by hand (words W = 6a + 3b, syllables Y = 9a + 4b, sentences S = a + b, polysyllables P = a):
    //
    // a=9,  b=21: W=117 Y=165 S=30 P=9
    //   SMOG = 1.0430 × √(9 × 30/30) + 3.1291 = 1.0430 × 3 + 3.1291 = 6.2581 → 6.3; age 6.3 + 5 = 11.3 → 11
    //   FK   = 0.39 × 117/30 + 11.8 × 165/117 − 15.59 = 1.5210 + 16.6410 − 15.59 = 2.5720 → 2.6
    //   FRE  = 206.835 − 1.015 × 3.9 − 84.6 × 1.410256 = 206.835 − 3.9585 − 119.3077 = 83.5688 → 83.6
    // a=16, b=14: W=138 Y=200 S=30 P=16
    //   SMOG = 1.0430 × √16 + 3.1291 = 4.1720 + 3.1291 = 7.3011 → 7.3; age 12.3 → 12
    //   FK   = 0.39 × 4.6 + 11.8 × 200/138 − 15.59 = 1.7940 + 17.1014 − 15.59 = 3.3054 → 3.3
    //   FRE  = 206.835 − 4.669 − 84.6 × 1.449275 = 206.835 − 4.669 − 122.6087 = 79.5573 → 79.6
    // a=25, b=5:  W=165 Y=245 S=30 P=25
    //   SMOG = 1.0430 × √25 + 3.1291 = 5.2150 + 3.1291 = 8.3441 → 8.3; age 13.3 → 13
    //   FK   = 0.39 × 5.5 + 11.8 × 245/165 − 15.59 = 2.1450 + 17.5212 − 15.59 = 4.0762 → 4.1
    //   FRE  = 206.835 − 5.5825 − 84.6 × 1.484848 = 206.835 − 5.5825 − 125.6182 = 75.6343 → 75.6
    // a=0,  b=30: W=90 Y=120 S=30 P=0
    //   SMOG = 1.0430 × 0 + 3.1291 = 3.1291 → 3.1; age 8.1 → 8
    //   FK   = 0.39 × 3 + 11.8 × 120/90 − 15.59 = 1.1700 + 15.7333 − 15.59 = 1.3133 → 1.3
    //   FRE  = 206.835 − 3.045 − 84.6 × 1.333333 = 206.835 − 3.045 − 112.8 = 90.99 → 91.0
    // a=4,  b=6 (10 sentences: SMOG scales to 30): W=42 Y=60 S=10 P=4
    //   SMOG = 1.0430 × √(4 × 30/10) + 3.1291 = 1.0430 × 3.464102 + 3.1291 = 3.6131 + 3.1291 = 6.7422 → 6.7; age 11.7 → 12
    //   FK   = 0.39 × 4.2 + 11.8 × 60/42 − 15.59 = 1.6380 + 16.8571 − 15.59 = 2.9051 → 2.9
    //   FRE  = 206.835 − 4.263 − 84.6 × 1.428571 = 206.835 − 4.263 − 120.8571 = 81.7149 → 81.7
    [Theory]
    [InlineData(9, 21, 117, 30, 9, 6.3, 2.6, 83.6, 11)]
    [InlineData(16, 14, 138, 30, 16, 7.3, 3.3, 79.6, 12)]
    [InlineData(25, 5, 165, 30, 25, 8.3, 4.1, 75.6, 13)]
    [InlineData(0, 30, 90, 30, 0, 3.1, 1.3, 91.0, 8)]
    [InlineData(4, 6, 42, 10, 4, 6.7, 2.9, 81.7, 12)]
    public void Figures_match_the_hand_computed_reference(int a, int b, int words, int sentences, int polysyllables, double smog, double fk, double fre, int age)
    {
        var text = string.Join(" ", Enumerable.Repeat(A, a).Concat(Enumerable.Repeat(B, b)));

        var result = Readability.OfArticle(text);

        Assert.Equal((words, sentences, polysyllables), (result.Words, result.Sentences, result.Polysyllables));
        Assert.Equal((smog, fk, fre, age), (result.Smog, result.FleschKincaidGrade, result.FleschReadingEase, result.ReadingAge));
    }

    // Counted by hand (syllables per word):
    //   "Back pain is very common."                        1 1 1 2 2          → 5 words, 7 syllables, 0 polysyllables
    //   "Most people get better within a few weeks."       1 2 1 2 2 1 1 1    → 8 words, 11 syllables, 0
    //   "Keep moving and take simple painkillers."         1 2 1 1 2 3        → 6 words, 10 syllables, 1 (painkillers)
    //   "See a doctor if the pain gets worse."             1 1 2 1 1 1 1 1    → 8 words, 9 syllables, 0
    //   Totals: 27 words, 37 syllables, 4 sentences, 1 polysyllable.
    //   SMOG = 1.0430 × √(1 × 30/4) + 3.1291 = 1.0430 × 2.738613 + 3.1291 = 2.8564 + 3.1291 = 5.9855 → 6.0; age 11
    //   FK   = 0.39 × 27/4 + 11.8 × 37/27 − 15.59 = 2.6325 + 16.1704 − 15.59 = 3.2129 → 3.2
    //   FRE  = 206.835 − 1.015 × 6.75 − 84.6 × 1.370370 = 206.835 − 6.8513 − 115.9333 = 84.0504 → 84.1
    [Fact]
    public void A_short_patient_paragraph_matches_the_hand_count()
    {
        var result = Readability.OfArticle(
            "Back pain is very common. Most people get better within a few weeks. Keep moving and take simple painkillers. See a doctor if the pain gets worse.");

        Assert.Equal((27, 37, 4, 1), (result.Words, result.Syllables, result.Sentences, result.Polysyllables));
        Assert.Equal((6.0, 3.2, 84.1, 11), (result.Smog, result.FleschKincaidGrade, result.FleschReadingEase, result.ReadingAge));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n")]
    [InlineData("```\nvar x = 1;\n```")]
    [InlineData("https://www.nhs.uk/conditions/back-pain/")]
    [InlineData("---")]
    public void Text_with_no_words_is_empty_not_a_division_by_zero(string markdown)
    {
        var result = Readability.OfArticle(markdown);

        Assert.True(result.IsEmpty);
        Assert.Equal(Readability.Empty, result);
        Assert.Empty(result.SentenceStats);
        Assert.Empty(result.Hardest(3));
    }

    [Theory]
    // Each heading, list item and table row ends a sentence, with or without a full stop.
    [InlineData("## Causes\n\nBack pain is common.", 2, 5)]
    [InlineData("- Rest\n- Keep moving\n- Take painkillers", 3, 5)]
    [InlineData("1. Rest.\n2. Keep moving.", 2, 3)]
    [InlineData("| Symptom | Advice |\n|---|---|\n| Fever | Call your doctor |", 2, 6)]
    [InlineData("> Keep moving\n>\n> Rest when you need to", 2, 7)]
    // Links read by their text; bare URLs, inline code and code blocks are not read.
    [InlineData("Read [the NHS page](https://www.nhs.uk/back-pain) today.", 1, 5)]
    [InlineData("Go to https://www.nhs.uk/back-pain today.", 1, 3)]
    [InlineData("Go to <https://www.nhs.uk/back-pain> today.", 1, 3)]
    [InlineData("Run `dotnet test` now.", 1, 2)]
    [InlineData("Rest.\n\n```\nSELECT * FROM pain;\n```\n\nWalk.", 2, 2)]
    [InlineData("Rest ![a picture of a bed](https://x.example/bed.png) well.", 1, 2)]
    // Emphasis is just text; a hard line break is a space, not a sentence end.
    [InlineData("Rest **now** and *walk* later.", 1, 5)]
    [InlineData("Rest now  \nand walk later.", 1, 5)]
    public void Markdown_structure_sets_sentences_and_what_is_read(string markdown, int sentences, int words)
    {
        var result = Readability.OfArticle(markdown);

        Assert.Equal((sentences, words), (result.Sentences, result.Words));
    }

    [Theory]
    // Only text that may hold an address goes through the address pattern; the rest is kept as it is.
    [InlineData("Rest and walk every day.", "Rest and walk every day.")]
    [InlineData("See https://www.nhs.uk/back-pain today.", "See   today.")]
    [InlineData("See WWW.NHS.UK/back-pain today.", "See   today.")]
    [InlineData("Write to help@nhs.example.org today.", "Write to   today.")]
    [InlineData("Write to MAILTO:help today.", "Write to   today.")]
    [InlineData("Ratio 2:1 and 5 a.m.", "Ratio 2:1 and 5 a.m.")]
    public void Addresses_are_not_read_as_words(string text, string read)
    {
        Assert.Equal(read, PlainText.WithoutUrls(text));
    }

    [Theory]
    [InlineData("Rest. Walk! Sleep? Eat.", 4)]
    [InlineData("Take painkillers, e.g. paracetamol, for a few days.", 1)]
    [InlineData("Use heat, i.e. a warm bath.", 1)]
    [InlineData("Ask Dr. Patel or Mrs. Jones about it.", 1)]
    [InlineData("Take 2.5 ml twice a day. Then rest.", 2)]
    [InlineData("Try heat, ice, rest etc. and see.", 1)]
    [InlineData("She said “rest.” Then she left.", 2)]
    [InlineData("Rest (as much as you can.) Walk.", 2)]
    [InlineData("Wait... Then call.", 2)]
    [InlineData("No full stop at the end", 1)]
    [InlineData("The site nhs.uk has more.", 1)]
    public void Sentences_end_at_terminal_punctuation_but_not_abbreviations_or_decimals(string text, int sentences) =>
        Assert.Equal(sentences, PlainText.Sentences(text).Count);

    [Fact]
    public void Red_flags_read_each_symptom_and_advice_as_at_least_one_sentence()
    {
        RedFlagInput[] flags =
        [
            new("Back pain with a fever", "Call your doctor today.", "urgent"),
            new("Numbness around your bottom", "Call an ambulance. Do not wait.", "emergency"),
        ];

        var result = Readability.OfRedFlags(flags);

        // symptom 1, advice 1, symptom 2, advice 2 (two sentences) = 5 sentences
        Assert.Equal(5, result.Sentences);
        Assert.Equal(
            ["Red flag 1, symptom", "Red flag 1, advice", "Red flag 2, symptom", "Red flag 2, advice", "Red flag 2, advice"],
            result.SentenceStats.Select(s => s.Where));
    }

    [Fact]
    public void Stored_red_flags_are_read_in_position_order()
    {
        RedFlag[] flags = [new(2, "Second symptom", "Second advice", Urgency.Routine), new(1, "First symptom", "First advice", Urgency.Urgent)];

        var result = Readability.OfRedFlags(flags);

        Assert.Equal("First symptom", result.SentenceStats[0].Text);
        Assert.Equal("Red flag 1, symptom", result.SentenceStats[0].Where);
    }

    [Fact]
    public void Per_sentence_stats_say_where_each_sentence_is()
    {
        var result = Readability.OfArticle("## Pain\n\nRest now. Walk later.\n\n- Take painkillers");

        Assert.Equal(
            [("Line 1", "Pain", 1, 0), ("Line 3", "Rest now.", 2, 0), ("Line 3", "Walk later.", 2, 0), ("Line 5", "Take painkillers", 2, 1)],
            result.SentenceStats.Select(s => (s.Where, s.Text, s.Words, s.Polysyllables)));
        Assert.Equal([0, 1, 2, 3], result.SentenceStats.Select(s => s.Index));
    }

    [Fact]
    public void Hardest_ranks_by_polysyllables_then_length_and_skips_sentences_that_do_not_raise_the_grade()
    {
        var result = Readability.OfArticle(string.Join(" ",
            "Rest.",                                                                   // 1 word, 0 polysyllables: not offered
            "Take paracetamol.",                                                       // 2 words, 1
            "Your physician may recommend anti-inflammatory medication.",              // 6 words, 4 (physician, recommend, anti-inflammatory, medication)
            "If it does not get better in a week or two then go and see your doctor.", // 17 words, 0: longer than average
            "Take ibuprofen with food."));                                             // 4 words, 1

        Assert.Equal(
            ["Your physician may recommend anti-inflammatory medication.", "Take ibuprofen with food.", "Take paracetamol."],
            result.Hardest(3).Select(s => s.Text));
        Assert.Equal(4, result.Hardest(10).Count);
        Assert.Empty(result.Hardest(0));
    }

    [Theory]
    [InlineData(6.25, 6.3)]
    [InlineData(6.24, 6.2)]
    [InlineData(-3.45, -3.5)]
    [InlineData(83.5688, 83.6)]
    public void Rounding_is_one_decimal_halves_away_from_zero(double value, double rounded) =>
        Assert.Equal(rounded, Readability.Round(value));

    [Fact]
    public void Plain_text_ends_a_sentence_at_each_line()
    {
        var result = Readability.OfText("Rest\nWalk later\n\nSleep");

        Assert.Equal(3, result.Sentences);
    }
}
