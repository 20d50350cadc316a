namespace ContentPortal.Domain.Tests;

public class ContentValidationTests
{
    private static readonly string MaxBody = new('x', VersionContent.MaxBodyBytes);

    /// <summary>Bad content by case name → the single field key that must be reported.</summary>
    private static VersionContent Bad(string name) => name switch
    {
        "title empty" => Contents.Article(title: ""),
        "title whitespace" => Contents.Article(title: "   "),
        "title 201 chars" => Contents.Article(title: new string('t', 201)),
        "summary 1001 chars" => Contents.Article(summary: new string('s', 1001)),
        "body 200 KB + 1 byte" => Contents.Article(body: MaxBody + "x"),
        "body over 200 KB in UTF-8 bytes, not chars" => Contents.Article(body: new string('é', (VersionContent.MaxBodyBytes / 2) + 1)),
        "symptom empty" => Contents.RedFlags(Contents.Flag(symptom: " ")),
        "symptom too long" => Contents.RedFlags(Contents.Flag(symptom: new string('s', 1001))),
        "duplicate symptom" => Contents.RedFlags(Contents.Flag(symptom: "Chest pain"), Contents.Flag(symptom: "  chest PAIN ")),
        "advice empty" => Contents.RedFlags(Contents.Flag(advice: "")),
        "advice too long" => Contents.RedFlags(Contents.Flag(advice: new string('a', 1001))),
        "urgency soon" => Contents.RedFlags(Contents.Flag(urgency: "soon")),
        "urgency empty" => Contents.RedFlags(Contents.Flag(urgency: "")),
        "urgency blank" => Contents.RedFlags(Contents.Flag(urgency: "  ")),
        "urgency numeric 1" => Contents.RedFlags(Contents.Flag(urgency: "1")),
        "urgency numeric 0" => Contents.RedFlags(Contents.Flag(urgency: "0")),
        "urgency numeric 7" => Contents.RedFlags(Contents.Flag(urgency: "7")),
        "urgency signed +2" => Contents.RedFlags(Contents.Flag(urgency: "+2")),
        "second flag bad urgency" => Contents.RedFlags(Contents.Flag(), Contents.Flag(symptom: "Fever", urgency: "asap")),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [InlineData("title empty", DocumentKind.Article, "Title")]
    [InlineData("title whitespace", DocumentKind.Article, "Title")]
    [InlineData("title 201 chars", DocumentKind.Article, "Title")]
    [InlineData("summary 1001 chars", DocumentKind.Article, "Summary")]
    [InlineData("body 200 KB + 1 byte", DocumentKind.Article, "Body")]
    [InlineData("body over 200 KB in UTF-8 bytes, not chars", DocumentKind.Article, "Body")]
    [InlineData("symptom empty", DocumentKind.RedFlagList, "Flags[0].Symptom")]
    [InlineData("symptom too long", DocumentKind.RedFlagList, "Flags[0].Symptom")]
    [InlineData("duplicate symptom", DocumentKind.RedFlagList, "Flags[1].Symptom")]
    [InlineData("advice empty", DocumentKind.RedFlagList, "Flags[0].Advice")]
    [InlineData("advice too long", DocumentKind.RedFlagList, "Flags[0].Advice")]
    [InlineData("urgency soon", DocumentKind.RedFlagList, "Flags[0].Urgency")]
    [InlineData("urgency empty", DocumentKind.RedFlagList, "Flags[0].Urgency")]
    [InlineData("urgency blank", DocumentKind.RedFlagList, "Flags[0].Urgency")]
    [InlineData("urgency numeric 1", DocumentKind.RedFlagList, "Flags[0].Urgency")]
    [InlineData("urgency numeric 0", DocumentKind.RedFlagList, "Flags[0].Urgency")]
    [InlineData("urgency numeric 7", DocumentKind.RedFlagList, "Flags[0].Urgency")]
    [InlineData("urgency signed +2", DocumentKind.RedFlagList, "Flags[0].Urgency")]
    [InlineData("second flag bad urgency", DocumentKind.RedFlagList, "Flags[1].Urgency")]
    public void Bad_content_is_reported_against_its_field(string name, DocumentKind kind, string key)
    {
        var errors = Bad(name).Validate(kind);

        Assert.Equal([key], errors.Keys);
        Assert.False(string.IsNullOrWhiteSpace(errors[key]));
    }

    [Fact]
    public void Duplicate_symptom_message_points_at_the_first_one()
    {
        var errors = Contents.RedFlags(Contents.Flag(symptom: "Fever"), Contents.Flag(symptom: "Chest pain"), Contents.Flag(symptom: "FEVER"))
            .Validate(DocumentKind.RedFlagList);

        Assert.Equal("This symptom is already red flag 1.", errors["Flags[2].Symptom"]);
    }

    [Fact]
    public void Every_broken_rule_is_reported_at_once()
    {
        var errors = new VersionContent("", new string('s', 1001), "", [Contents.Flag(symptom: "", advice: "", urgency: "soon")])
            .Validate(DocumentKind.RedFlagList);

        Assert.Equal(
            ["Flags[0].Advice", "Flags[0].Symptom", "Flags[0].Urgency", "Summary", "Title"],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Body_limit_message_gives_sizes_in_KB()
    {
        var errors = Contents.Article(body: new string('x', 300 * 1024)).Validate(DocumentKind.Article);

        Assert.Equal("The body is 300 KB; the limit is 200 KB. Split it into more than one article.", errors["Body"]);
    }

    /// <summary>Good content by case name.</summary>
    private static (VersionContent Content, DocumentKind Kind) Good(string name) => name switch
    {
        "plain article" => (Contents.Article(), DocumentKind.Article),
        "title exactly 200" => (Contents.Article(title: new string('t', 200)), DocumentKind.Article),
        "title 200 plus padding" => (Contents.Article(title: "  " + new string('t', 200) + "  "), DocumentKind.Article),
        "summary empty" => (Contents.Article(summary: ""), DocumentKind.Article),
        "summary exactly 1000" => (Contents.Article(summary: new string('s', 1000)), DocumentKind.Article),
        "body exactly 200 KB" => (Contents.Article(body: MaxBody), DocumentKind.Article),
        "huge body ignored for red-flag list" => (new VersionContent("Flags", "", MaxBody + "x", [Contents.Flag()]), DocumentKind.RedFlagList),
        "bad flags ignored for article" => (new VersionContent("Article", "", "", [Contents.Flag(symptom: "", urgency: "soon")]), DocumentKind.Article),
        "red-flag list with no flags" => (Contents.RedFlags(), DocumentKind.RedFlagList),
        "all urgencies any case" => (Contents.RedFlags(
            Contents.Flag("A", "a", "emergency"),
            Contents.Flag("B", "b", "URGENT"),
            Contents.Flag("C", "c", " Routine ")), DocumentKind.RedFlagList),
        "symptom and advice exactly 1000" => (Contents.RedFlags(Contents.Flag(new string('s', 1000), new string('a', 1000))), DocumentKind.RedFlagList),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [InlineData("plain article")]
    [InlineData("title exactly 200")]
    [InlineData("title 200 plus padding")]
    [InlineData("summary empty")]
    [InlineData("summary exactly 1000")]
    [InlineData("body exactly 200 KB")]
    [InlineData("huge body ignored for red-flag list")]
    [InlineData("bad flags ignored for article")]
    [InlineData("red-flag list with no flags")]
    [InlineData("all urgencies any case")]
    [InlineData("symptom and advice exactly 1000")]
    public void Good_content_has_no_errors(string name)
    {
        var (content, kind) = Good(name);

        Assert.Empty(content.Validate(kind));
    }

    [Theory]
    [InlineData("emergency", Urgency.Emergency)]
    [InlineData("Urgent", Urgency.Urgent)]
    [InlineData(" ROUTINE ", Urgency.Routine)]
    public void TryParseUrgency_accepts_the_three_words(string text, Urgency expected)
    {
        Assert.True(VersionContent.TryParseUrgency(text, out var urgency));
        Assert.Equal(expected, urgency);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("1")]
    [InlineData("-1")]
    [InlineData(" 2 ")]
    public void TryParseUrgency_rejects_anything_else(string? text)
    {
        Assert.False(VersionContent.TryParseUrgency(text, out _));
    }

    /// <summary>
    /// Enum.TryParse reads a comma-separated list as flags and ORs the values: "emergency,urgent" is
    /// 0|1 = Urgent, and "emergency, routine" is 0|2 = Routine; both pass Enum.IsDefined.
    /// </summary>
    [Theory]
    [InlineData("emergency,urgent")]
    [InlineData("emergency, routine")]
    public void TryParseUrgency_rejects_a_list_of_urgencies(string text)
    {
        Assert.False(VersionContent.TryParseUrgency(text, out _));
    }

    // ---- Slugs -------------------------------------------------------------------------------

    [Theory]
    [InlineData("lower-back-pain")]
    [InlineData("a")]
    [InlineData("covid-19")]
    [InlineData("2024")]
    public void Slug_good(string slug)
    {
        Assert.Null(Slug.Problem(slug));
    }

    [Fact]
    public void Slug_of_exactly_max_length_is_good()
    {
        Assert.Null(Slug.Problem(new string('a', Slug.MaxLength)));
    }

    [Theory]
    [InlineData(null, "Enter a slug.")]
    [InlineData("", "Enter a slug.")]
    [InlineData("   ", "Enter a slug.")]
    [InlineData("Upper", "Use lower-case")]
    [InlineData("a--b", "single hyphens")]
    [InlineData("-a", "single hyphens")]
    [InlineData("a-", "single hyphens")]
    [InlineData("a b", "single hyphens")]
    [InlineData("a_b", "single hyphens")]
    [InlineData("café", "single hyphens")]
    public void Slug_bad(string? slug, string messagePart)
    {
        var problem = Slug.Problem(slug);

        Assert.NotNull(problem);
        Assert.Contains(messagePart, problem);
    }

    [Fact]
    public void Slug_too_long_is_bad()
    {
        Assert.Equal("The slug is longer than 100 characters.", Slug.Problem(new string('a', Slug.MaxLength + 1)));
    }

    /// <summary>.NET's "$" also matches before a final "\n", so the pattern lets a trailing newline through.</summary>
    [Theory]
    [InlineData("lower-back-pain\n")]
    public void Slug_with_trailing_newline_is_bad(string slug)
    {
        Assert.NotNull(Slug.Problem(slug));
    }

    [Theory]
    [InlineData("Back pain: at night", "back-pain-at-night")]
    [InlineData("Café crème", "cafe-creme")]
    [InlineData("Žlučník & játra", "zlucnik-jatra")]
    [InlineData("  --Hello,   World!--  ", "hello-world")]
    [InlineData("COVID-19 (long)", "covid-19-long")]
    public void Slug_suggested_from_title(string title, string expected)
    {
        var suggested = Slug.Suggest(title);

        Assert.Equal(expected, suggested);
        Assert.Null(Slug.Problem(suggested));
    }

    [Fact]
    public void Slug_suggestion_is_cut_to_max_length_without_a_trailing_hyphen()
    {
        var title = new string('a', 99) + " b" + new string('c', 20);

        var suggested = Slug.Suggest(title);

        Assert.Equal(new string('a', 99), suggested);
        Assert.Null(Slug.Problem(suggested));
    }

    // ---- Content hash ------------------------------------------------------------------------

    [Fact]
    public void ContentHash_is_stable_and_sensitive_to_each_part()
    {
        RedFlag[] flags = [new(1, "Fever", "See a GP", Urgency.Urgent)];
        var baseline = ContentHash.Of(DocumentKind.RedFlagList, "T", "S", "B", flags);

        Assert.Equal(baseline, ContentHash.Of(DocumentKind.RedFlagList, "T", "S", "B", [new(1, "Fever", "See a GP", Urgency.Urgent)]));
        Assert.Matches("^sha256:[0-9a-f]{64}$", baseline);
        string[] variants =
        [
            ContentHash.Of(DocumentKind.Article, "T", "S", "B", flags),
            ContentHash.Of(DocumentKind.RedFlagList, "T2", "S", "B", flags),
            ContentHash.Of(DocumentKind.RedFlagList, "T", "S2", "B", flags),
            ContentHash.Of(DocumentKind.RedFlagList, "T", "S", "B2", flags),
            ContentHash.Of(DocumentKind.RedFlagList, "T", "S", "B", [new(1, "Fever", "See a GP", Urgency.Emergency)]),
            ContentHash.Of(DocumentKind.RedFlagList, "T", "S", "B", [new(1, "Fever", "Rest", Urgency.Urgent)]),
            ContentHash.Of(DocumentKind.RedFlagList, "T", "S", "B", []),
        ];
        Assert.All(variants, v => Assert.NotEqual(baseline, v));
        Assert.Equal(variants.Length, variants.Distinct().Count());
    }

    [Fact]
    public void ContentHash_orders_flags_by_position()
    {
        RedFlag a = new(1, "A", "a", Urgency.Routine);
        RedFlag b = new(2, "B", "b", Urgency.Routine);

        Assert.Equal(
            ContentHash.Of(DocumentKind.RedFlagList, "T", "S", "", [a, b]),
            ContentHash.Of(DocumentKind.RedFlagList, "T", "S", "", [b, a]));
    }

    /// <summary>The canonical form is not injective: text moved between title and summary across a newline hashes the same.</summary>
    [Fact]
    public void ContentHash_differs_when_text_moves_between_fields()
    {
        Assert.NotEqual(
            ContentHash.Of(DocumentKind.Article, "X\nsummary:Y", "Z", "B", []),
            ContentHash.Of(DocumentKind.Article, "X", "Y\nsummary:Z", "B", []));
    }
}
