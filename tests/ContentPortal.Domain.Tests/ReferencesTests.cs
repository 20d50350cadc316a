namespace ContentPortal.Domain.Tests;

public class ReferencesTests
{
    [Theory]
    [InlineData("NICE NG59 https://www.nice.org.uk/guidance/ng59", "NICE NG59", "https://www.nice.org.uk/guidance/ng59")]
    [InlineData("  NHS: Back pain — https://www.nhs.uk/conditions/back-pain/  ", "NHS: Back pain", "https://www.nhs.uk/conditions/back-pain/")]
    [InlineData("Cochrane review | http://example.org/r", "Cochrane review", "http://example.org/r")]
    [InlineData("A book without a link", "A book without a link", "")]
    [InlineData("https://only.example.org/link", "", "https://only.example.org/link")]
    public void A_line_splits_into_source_and_link(string line, string source, string link)
    {
        var reference = Assert.Single(ReferenceInput.ParseLines(line));

        Assert.Equal(new ReferenceInput(source, link), reference);
    }

    [Fact]
    public void Empty_lines_are_skipped_and_order_is_kept()
    {
        var references = ReferenceInput.ParseLines("A https://a.example\r\n\r\n  \nB https://b.example\n");

        Assert.Equal(["A", "B"], references.Select(r => r.Source));
    }

    [Theory]
    [InlineData("NICE https://www.nice.org.uk", null)]
    [InlineData("Textbook", "Line 1: add a link starting with https:// after the source.")]
    [InlineData("https://x.example", "Line 1: name the source before the link.")]
    [InlineData("A https://a.example\nB https://", "Line 2: the link is not a valid http or https address.")]
    [InlineData("A https://a.example\nB https://A.example", "Line 2: this link is already cited on line 1.")]
    public void Validation_names_the_line(string text, string? problem)
    {
        var content = Contents.Article() with { References = ReferenceInput.ParseLines(text) };

        var errors = content.Validate(DocumentKind.Article);

        Assert.Equal(problem, errors.GetValueOrDefault("References"));
    }

    [Fact]
    public void References_are_saved_in_order_and_covered_by_the_hash()
    {
        var document = Docs.NewArticle();
        var draft = document.Latest;
        var before = draft.ComputeHash();

        document.Edit(draft, Contents.Article() with { References = ReferenceInput.ParseLines("A https://a.example\nB https://b.example") }, null, draft.Revision, Docs.Author, Clock.At(1));

        Assert.Equal(["A", "B"], draft.References.OrderBy(r => r.Position).Select(r => r.Source));
        Assert.Equal("A https://a.example\nB https://b.example", ReferenceInput.ToLines(draft.CurrentContent().References));
        Assert.NotEqual(before, draft.ComputeHash());
    }

    [Fact]
    public void A_version_without_references_keeps_the_hash_it_had_before_references_existed()
    {
        // Hash of this exact content under the pre-references canonical form (no "References" key).
        var hash = ContentHash.Of(DocumentKind.Article, "T", "S", "B", [], []);

        Assert.Equal(ContentHash.Of(DocumentKind.Article, "T", "S", "B", []), hash);
        Assert.NotEqual(hash, ContentHash.Of(DocumentKind.Article, "T", "S", "B", [], [new ArticleReference(1, "A", "https://a.example")]));
    }
}

public class ReferenceLinkNormalisationTests
{
    [Theory]
    [InlineData("https://NICE.org.uk/guidance/ng59", "https://nice.org.uk/guidance/ng59")]
    [InlineData("https://example.org/a path?q=\"x\"", "https://example.org/a%20path?q=%22x%22")]
    [InlineData("https://example.org/r\u00fcckenschmerz", "https://example.org/r%C3%BCckenschmerz")]
    [InlineData("  https://example.org/x  ", "https://example.org/x")]
    [InlineData("not a link", "not a link")]
    public void Links_are_stored_absolute_and_percent_encoded(string typed, string stored) =>
        Assert.Equal(stored, ReferenceInput.Normalise(typed));

    [Theory]
    [InlineData("https://user:secret@example.org/x")]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://example.org/x")]
    public void Links_with_credentials_or_other_schemes_are_refused(string link) =>
        Assert.Contains("not a valid http or https address", ReferenceInput.Problem([new ReferenceInput("Source", link)]));

    [Fact]
    public void The_same_link_in_two_spellings_is_a_duplicate() =>
        Assert.Contains("already cited on line 1", ReferenceInput.Problem([new ReferenceInput("A", "https://EXAMPLE.org/x"), new ReferenceInput("B", "https://example.org/x")]));
}
