namespace ContentPortal.Domain.Tests;

public class ConflictTests
{
    [Theory]
    [InlineData(3, 3, false)]
    [InlineData(2, 3, true)]
    [InlineData(4, 3, true)]
    public void A_save_is_stale_when_based_on_another_revision(int basedOn, int current, bool stale) =>
        Assert.Equal(stale, DraftConflict.IsStale(basedOn, current));

    [Fact]
    public void A_current_copy_has_no_conflict()
    {
        var draft = Docs.NewArticle().Latest;

        Assert.Null(DraftConflict.Check(draft, draft.Revision, Contents.Article(title: "Mine"), "My note"));
    }

    [Theory]
    [InlineData("Theirs", "Same summary", "Mine", "Same summary", "Title")]
    [InlineData("Same", "Their summary", "Same", "My summary", "Summary")]
    [InlineData("Theirs", "Their summary", "Mine", "My summary", "Title,Summary")]
    [InlineData("Same", "Same", "Same  ", "Same", "")]
    public void A_stale_copy_lists_the_fields_that_differ_with_both_texts(string theirTitle, string theirSummary, string myTitle, string mySummary, string fields)
    {
        var document = Docs.NewArticle();
        var draft = document.Latest;
        var opened = draft.Revision;
        document.Edit(draft, Contents.Article(title: theirTitle, summary: theirSummary), null, opened, People.Editor("editor-2", "Eddie"), Clock.At(5));

        var conflict = DraftConflict.Check(draft, opened, Contents.Article(title: myTitle, summary: mySummary), null);

        Assert.NotNull(conflict);
        Assert.Equal(fields, string.Join(",", conflict.Fields.Select(f => f.Field)));
        Assert.Equal(fields.Length == 0, conflict.TextsAgree);
        Assert.Equal("Eddie", conflict.TheirName);
        Assert.Equal((opened, draft.Revision), (conflict.BasedOnRevision, conflict.CurrentRevision));
        if (conflict.Fields.FirstOrDefault(f => f.Field == "Title") is { } title)
        {
            Assert.Equal((theirTitle, myTitle), (title.Theirs, title.Mine));
        }
    }

    [Theory]
    [InlineData("Their note", "My note", true)]
    [InlineData("Same note", " Same note ", false)]
    [InlineData(null, "", false)]
    public void A_differing_change_note_is_part_of_the_conflict(string? theirs, string? mine, bool listed)
    {
        var document = Docs.NewArticle();
        var draft = document.Latest;
        var opened = draft.Revision;
        document.Edit(draft, Contents.Article(), theirs, opened, People.Editor("editor-2", "Eddie"), Clock.At(5));

        var conflict = DraftConflict.Check(draft, opened, Contents.Article(), mine)!;

        Assert.Equal(listed, conflict.Fields.Any(f => f.Field == "ChangeNote"));
    }

    [Fact]
    public void Red_flags_and_references_conflict_as_whole_fields()
    {
        var theirs = Contents.RedFlags(Contents.Flag("A", "Call", "urgent"));
        var mine = Contents.RedFlags(Contents.Flag("A", "Call", "emergency"));

        var field = Assert.Single(DraftConflict.Differences(DocumentKind.RedFlagList, theirs, mine));

        Assert.Equal(("Flags", "1. [urgent] A: Call", "1. [emergency] A: Call"), (field.Field, field.Theirs, field.Mine));
    }

    [Theory]
    [InlineData("Title", "Their title", "My summary")]
    [InlineData("Summary", "My title", "Their summary")]
    public void Taking_one_field_keeps_the_rest_of_mine(string field, string title, string summary)
    {
        var merged = DraftConflict.TakeField(Contents.Article(title: "My title", summary: "My summary"), Contents.Article(title: "Their title", summary: "Their summary"), field);

        Assert.Equal((title, summary), (merged.Title, merged.Summary));
    }

    [Fact]
    public void Taking_an_unknown_field_is_refused() =>
        Assert.Throws<RefusedException>(() => DraftConflict.TakeField(Contents.Article(), Contents.Article(), "Slug"));
}

public class WordDiffTests
{
    [Theory]
    [InlineData("Rest and keep moving.", "Rest and gently keep moving.", "=Rest and |+gently |=keep moving.")]
    [InlineData("Call 999 now.", "Call 111 now.", "=Call |-999|+111|= now.")]
    [InlineData("", "New text", "+New text")]
    [InlineData("Old text", "", "-Old text")]
    [InlineData("Same\nlines", "Same\nlines", "=Same\nlines")]
    [InlineData("<script>alert(1)</script>", "<b>x</b>", "=<|-script|+b|=>|-alert(1)|+x|=</|-script|+b|=>")]
    public void Words_are_marked_as_inserted_deleted_or_same(string before, string after, string expected)
    {
        var segments = WordDiff.Between(before, after);

        Assert.Equal(expected, string.Join("|", segments.Select(s => (s.Kind switch { DiffKind.Same => "=", DiffKind.Inserted => "+", _ => "-" }) + s.Text)));
        Assert.Equal(before, string.Concat(segments.Where(s => s.Kind != DiffKind.Inserted).Select(s => s.Text)));
        Assert.Equal(after, string.Concat(segments.Where(s => s.Kind != DiffKind.Deleted).Select(s => s.Text)));
    }
}

public class FlagDiffTests
{
    private static RedFlagInput F(string symptom, string advice = "See a GP.", string urgency = "urgent") => new(symptom, advice, urgency);

    [Theory]
    // before (symptoms), after (symptoms), expected changes in display order
    [InlineData("A,B,C", "A,B,C", "Unchanged A,Unchanged B,Unchanged C")]
    [InlineData("A,B", "A,B,C", "Unchanged A,Unchanged B,Added C")]
    [InlineData("A,B,C", "A,C", "Unchanged A,Removed B,Unchanged C")]
    [InlineData("A,B,C", "C,A,B", "Moved C,Unchanged A,Unchanged B")]
    [InlineData("A,B", "A,X", "Unchanged A,Changed X")]
    [InlineData("A,B", "a,B", "Changed a,Unchanged B")]
    [InlineData("", "A", "Added A")]
    public void Flags_are_matched_by_symptom_then_position(string before, string after, string expected)
    {
        static List<RedFlagInput> List(string s) => s.Length == 0 ? [] : s.Split(',').Select(x => F(x)).ToList();

        var diffs = ContentComparison.CompareFlags(List(before), List(after));

        Assert.Equal(expected, string.Join(",", diffs.Select(d => $"{d.Change} {(d.New ?? d.Old)!.Symptom}")));
    }

    [Theory]
    // The seed's spinal red flags, Emergency (5th) moved up a place, and the mirror: the first moved down a place.
    // A swap of neighbours cannot say which of the two the editor moved, so both show as moved, each with its
    // own places; a flag moved further is the only one shown as moved.
    [InlineData("A,B,C,D,Emergency", "A,B,C,Emergency,D", "Unchanged A 1>1,Unchanged B 2>2,Unchanged C 3>3,Moved Emergency 5>4,Moved D 4>5")]
    [InlineData("Emergency,B,C,D,E", "B,Emergency,C,D,E", "Moved B 2>1,Moved Emergency 1>2,Unchanged C 3>3,Unchanged D 4>4,Unchanged E 5>5")]
    [InlineData("A,B,C,D,Emergency", "Emergency,A,B,C,D", "Moved Emergency 5>1,Unchanged A 1>2,Unchanged B 2>3,Unchanged C 3>4,Unchanged D 4>5")]
    [InlineData("Emergency,B,C,D,E", "B,C,D,E,Emergency", "Unchanged B 2>1,Unchanged C 3>2,Unchanged D 4>3,Unchanged E 5>4,Moved Emergency 1>5")]
    public void A_moved_flag_is_reported_as_the_flag_that_moved(string before, string after, string expected)
    {
        static List<RedFlagInput> List(string s) => s.Split(',').Select(x => F(x)).ToList();

        var diffs = ContentComparison.CompareFlags(List(before), List(after));

        Assert.Equal(expected, string.Join(",", diffs.Select(d => $"{d.Change} {d.New!.Symptom} {d.Before}>{d.After}")));
    }

    [Fact]
    public void A_changed_urgency_or_advice_is_a_changed_flag_with_word_diffs()
    {
        var diff = Assert.Single(ContentComparison.CompareFlags([F("A", "Call your GP today.", "urgent")], [F("A", "Call 999 today.", "emergency")]));

        Assert.Equal(FlagChange.Changed, diff.Change);
        Assert.True(diff.UrgencyChanged);
        Assert.Contains(new DiffSegment(DiffKind.Inserted, "999"), diff.Advice);
        Assert.Equal((1, 1), (diff.Before, diff.After));
    }

    [Fact]
    public void A_comparison_of_articles_diffs_every_text_field()
    {
        var before = Contents.Article(body: "Keep moving.");
        var after = Contents.Article(body: "Keep gently moving.") with { References = [new ReferenceInput("NICE", "https://nice.org.uk")] };

        var comparison = ContentComparison.Of(DocumentKind.Article, before, after);

        Assert.True(comparison.HasChanges);
        Assert.Equal(["Title", "Summary", "Body", "References"], comparison.Fields.Select(f => f.Field));
        Assert.Equal([false, false, true, true], comparison.Fields.Select(f => f.Changed));
        Assert.Empty(comparison.Flags);
        Assert.False(ContentComparison.Of(DocumentKind.Article, before, before).HasChanges);
    }
}
