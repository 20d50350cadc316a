namespace ContentPortal.Domain.Tests;

public class PlainEnglishTests
{
    private static readonly Dictionary<string, string> NoJargon = [];

    private static string Words(int count) => string.Join(" ", Enumerable.Repeat("rest", count)) + ".";

    [Theory]
    [InlineData(25, 0)]
    [InlineData(26, 1)]
    [InlineData(40, 1)]
    public void Sentences_over_25_words_are_flagged(int words, int findings)
    {
        var result = PlainEnglish.CheckArticle($"Walk.\n\n{Words(words)} Walk.", NoJargon);

        Assert.Equal(findings, result.Count(f => f.Rule == PlainEnglish.LongSentenceRule));
        if (findings == 1)
        {
            var finding = Assert.Single(result);
            Assert.Equal("Line 3", finding.Where);
            Assert.StartsWith($"This sentence has {words} words; try to keep sentences to 25 or fewer: “rest rest", finding.Message);
            Assert.EndsWith("…”", finding.Message);
        }
    }

    [Fact]
    public void Code_and_urls_do_not_make_a_sentence_long()
    {
        var markdown = $"{Words(20)} `{Words(20)}` https://example.org/{string.Join("/", Enumerable.Repeat("a", 20))} done.";

        Assert.Empty(PlainEnglish.CheckArticle(markdown, NoJargon));
    }

    [Theory]
    [InlineData("For more, [click here](https://www.nhs.uk).", "click here")]
    [InlineData("Advice is [here](https://www.nhs.uk).", "here")]
    [InlineData("Follow [this link](https://www.nhs.uk) for more.", "this link")]
    [InlineData("[Read more](https://www.nhs.uk)", "Read more")]
    [InlineData("See the [link](https://www.nhs.uk).", "link")]
    [InlineData("See [ **Click  here** ](https://www.nhs.uk).", "Click here")]
    [InlineData("See [read more…](https://www.nhs.uk).", "read more")]
    [InlineData("See [here][nhs].\n\n[nhs]: https://www.nhs.uk", "here")]
    [InlineData("See [NHS advice on back pain](https://www.nhs.uk).", null)]
    [InlineData("See https://www.nhs.uk today.", null)]
    [InlineData("There is more here: https://www.nhs.uk.", null)]
    public void Link_text_that_does_not_say_where_it_goes_is_flagged(string markdown, string? text)
    {
        var findings = PlainEnglish.CheckArticle(markdown, NoJargon).Where(f => f.Rule == PlainEnglish.LinkTextRule).ToList();

        if (text is null)
        {
            Assert.Empty(findings);
        }
        else
        {
            var finding = Assert.Single(findings);
            Assert.Equal("Line 1", finding.Where);
            Assert.Equal($"The link text “{text}” does not say where the link goes; use words that describe the page it opens.", finding.Message);
        }
    }

    [Theory]
    [InlineData("## A\n\n### B\n\n## C\n\n### D\n\n#### E", "")]
    [InlineData("## A\n\n#### B", "Line 3: “B” is a level-4 heading after a level-2 heading; use level 3 (###) so no level is skipped.")]
    [InlineData("### A", "Line 1: “A” is a level-3 heading after the article title (level 1); use level 2 (##) so no level is skipped.")]
    [InlineData("# A\n\n## B", "Line 1: “A” is a level-1 heading, but the article title is already the page's level-1 heading; start body headings at level 2 (##).")]
    [InlineData("## A\n\n#### B\n\n##### C", "Line 3: “B” is a level-4 heading after a level-2 heading; use level 3 (###) so no level is skipped.")]
    [InlineData("## A\n\n### B\n\n##### C", "Line 5: “C” is a level-5 heading after a level-3 heading; use level 4 (####) so no level is skipped.")]
    [InlineData("Intro\n-----\n\n#### Detail", "Line 4: “Detail” is a level-4 heading after a level-2 heading; use level 3 (###) so no level is skipped.")]
    [InlineData("- ## In a list\n- #### Deeper", "Line 2: “Deeper” is a level-4 heading after a level-2 heading; use level 3 (###) so no level is skipped.")]
    [InlineData("```\n## not a heading\n#### nor this\n```", "")]
    public void Heading_levels_start_at_2_below_the_title_and_skip_none(string markdown, string expected)
    {
        var findings = PlainEnglish.CheckArticle(markdown, NoJargon).Where(f => f.Rule == PlainEnglish.HeadingLevelRule);

        Assert.Equal(expected, string.Join(" | ", findings.Select(f => $"{f.Where}: {f.Message}")));
    }

    [Theory]
    [InlineData("Take NSAIDs with food.", "NSAIDs", "anti-inflammatory painkillers")]
    [InlineData("An NSAID may help.", "NSAID", "anti-inflammatory painkillers")]
    [InlineData("nsaids may help.", "nsaids", "anti-inflammatory painkillers")]
    [InlineData("Take an analgesic.", "analgesic", "painkiller")]
    [InlineData("Analgesics can help.", "Analgesics", "painkiller")]
    [InlineData("Good analgesia matters.", "analgesia", "pain relief")]
    [InlineData("Pain in the lumbar spine.", "lumbar", "lower back")]
    [InlineData("## Acute pain", "Acute", "sudden or severe")]
    [InlineData("- chronic pain", "chronic", "long-lasting")]
    [InlineData("A haemorrhage or a hemorrhage.", "haemorrhage", "heavy bleeding")]
    [InlineData("Oedema in the ankles.", "Oedema", "swelling")]
    [InlineData("After a myocardial\n infarction.", "myocardial infarction", "heart attack")]
    [InlineData("Read [about oedema](https://www.nhs.uk).", "oedema", "swelling")]
    public void Jargon_is_found_as_whole_words_in_any_case_with_its_plain_alternative(string markdown, string found, string plain)
    {
        var finding = PlainEnglish.CheckArticle(markdown, PlainEnglish.DefaultJargon).First(f => f.Rule == PlainEnglish.JargonRule);

        Assert.Equal("Line 1", finding.Where);
        Assert.Equal($"“{found}” is medical language; consider “{plain}”.", finding.Message);
    }

    [Theory]
    [InlineData("The acuteness of it.")]
    [InlineData("A sub-lumbarish word.")]
    [InlineData("Run `NSAIDs --list` in a terminal.")]
    [InlineData("```\nchronic = true\n```")]
    [InlineData("See https://example.org/chronic-pain today.")]
    [InlineData("See <https://example.org/acute>.")]
    public void Jargon_is_not_found_inside_other_words_code_or_urls(string markdown) =>
        Assert.DoesNotContain(PlainEnglish.CheckArticle(markdown, PlainEnglish.DefaultJargon), f => f.Rule == PlainEnglish.JargonRule);

    [Fact]
    public void The_jargon_list_is_the_callers_choice()
    {
        var own = new Dictionary<string, string> { ["Paracetamol"] = "a painkiller" };

        var findings = PlainEnglish.CheckArticle("Take paracetamol for chronic pain.", own);

        var finding = Assert.Single(findings);
        Assert.Equal("“paracetamol” is medical language; consider “a painkiller”.", finding.Message);
    }

    [Fact]
    public void A_term_repeated_in_one_block_is_one_finding_each_block_its_own()
    {
        var findings = PlainEnglish.CheckArticle("Chronic pain. More chronic pain.\n\nStill chronic.", PlainEnglish.DefaultJargon);

        Assert.Equal(["Line 1", "Line 3"], findings.Select(f => f.Where));
    }

    [Fact]
    public void The_default_list_has_the_starter_terms()
    {
        foreach (var term in new[] { "NSAIDs", "analgesic", "lumbar", "acute", "chronic", "benign", "haemorrhage", "hemorrhage", "oedema", "edema", "analgesia", "prophylaxis", "contraindicated", "ambulate" })
        {
            Assert.True(PlainEnglish.DefaultJargon.ContainsKey(term), term);
        }

        Assert.False(PlainEnglish.DefaultJargon.ContainsKey("cervical")); // cervix or neck: no single plain word
        Assert.Equal("lower back", PlainEnglish.DefaultJargon["LUMBAR"]);
    }

    [Fact]
    public void Red_flags_are_checked_for_long_sentences_and_jargon_and_say_which_flag()
    {
        RedFlagInput[] flags =
        [
            new("Back pain with a fever", "Call your doctor today.", "urgent"),
            new("Sudden dyspnoea", $"{Words(30)}", "emergency"),
        ];

        var findings = PlainEnglish.CheckRedFlags(flags, PlainEnglish.DefaultJargon);

        Assert.Equal(
            [(PlainEnglish.LongSentenceRule, "Red flag 2, advice"), (PlainEnglish.JargonRule, "Red flag 2, symptom")],
            findings.Select(f => (f.Rule, f.Where)));
    }

    [Fact]
    public void Stored_red_flags_are_checked_in_position_order()
    {
        RedFlag[] flags = [new(2, "Chest pain", "Call 999.", Urgency.Emergency), new(1, "Acute back pain", "See a doctor today.", Urgency.Urgent)];

        var finding = Assert.Single(PlainEnglish.CheckRedFlags(flags, PlainEnglish.DefaultJargon));

        Assert.Equal("Red flag 1, symptom", finding.Where);
    }

    [Fact]
    public void Plain_text_has_no_findings()
    {
        Assert.Empty(PlainEnglish.CheckArticle("## Causes\n\nBack pain is common. [NHS advice on back pain](https://www.nhs.uk) has more.\n\n### At home\n\n- Keep moving", PlainEnglish.DefaultJargon));
        Assert.Empty(PlainEnglish.CheckArticle("", PlainEnglish.DefaultJargon));
    }
}
