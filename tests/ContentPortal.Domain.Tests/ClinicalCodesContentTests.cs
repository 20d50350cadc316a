namespace ContentPortal.Domain.Tests;

/// <summary>Codes as content: validated on save, stored with the version, in the hash (only when present), in diffs.</summary>
public class ClinicalCodesContentTests
{
    private static IReadOnlyList<ClinicalCode> Codes(string lines) => ClinicalCodeInput.ParseLines(lines);

    [Theory]
    [InlineData("SNOMED 279039007 Low back pain\nICD-10 M54.5", null)]
    [InlineData("SNOMED 279039008", "Line 1: 279039008 is not a valid SNOMED CT identifier: its check digit does not match (Verhoeff).")]
    [InlineData("ICD-10 M5", "Line 1: M5 is not an ICD-10 code: ICD-10 codes are a letter, two digits and optionally a dot with one or two digits, e.g. M45 or M54.5.")]
    [InlineData("LOINC 1234-5", "Line 1: LOINC is not a code system the portal knows; use SNOMED or ICD-10.")]
    [InlineData("ICD-10 M45\nICD10 m45", "Line 2: ICD-10 M45 is already on line 1.")]
    public void Document_codes_are_validated_at_the_Codes_field(string lines, string? problem)
    {
        var content = Contents.Article() with { Codes = Codes(lines) };

        Assert.Equal(problem, content.Validate(DocumentKind.Article).GetValueOrDefault("Codes"));
    }

    [Fact]
    public void A_flag_code_problem_is_reported_at_that_flag()
    {
        var content = Contents.RedFlags(Contents.Flag(), Contents.Flag("Fever", "See a GP today.", "urgent") with { Codes = Codes("SNOMED 386661007") });

        var errors = content.Validate(DocumentKind.RedFlagList);

        Assert.Equal(["Flags[1].Codes"], errors.Keys);
        Assert.Contains("386661007", errors["Flags[1].Codes"]);
    }

    [Fact]
    public void More_than_the_limit_of_codes_is_refused()
    {
        var lines = string.Join("\n", Enumerable.Range(100000, ClinicalCode.MaxCodes + 1).Select(n => $"SNOMED {n}0{Verhoeff.CheckDigit($"{n}0")}"));

        var errors = (Contents.Article() with { Codes = Codes(lines) }).Validate(DocumentKind.Article);

        Assert.Equal($"There are {ClinicalCode.MaxCodes + 1} codes; the limit is {ClinicalCode.MaxCodes}.", errors["Codes"]);
    }

    [Fact]
    public void A_bad_code_refuses_the_save_and_changes_nothing()
    {
        var document = Docs.NewArticle();
        var draft = document.Latest;
        var revision = draft.Revision;

        var refused = Assert.Throws<InvalidContentException>(() =>
            document.Edit(draft, Contents.Article() with { Codes = Codes("SNOMED 12345") }, null, draft.Revision, Docs.Author, Clock.At(1)));

        Assert.Contains("Codes", refused.Errors.Keys);
        Assert.Equal(revision, draft.Revision);
        Assert.Empty(draft.Codes);
    }

    [Fact]
    public void Codes_are_stored_with_the_version_and_covered_by_the_hash()
    {
        var document = Docs.NewRedFlagList(flags: Contents.Flag("Fever", "See a GP today.", "urgent"));
        var draft = document.Latest;
        var uncoded = draft.ComputeHash();

        document.Edit(draft, Contents.RedFlags(Contents.Flag("Fever", "See a GP today.", "urgent") with { Codes = Codes("SNOMED 386661006 Fever") }) with { Codes = Codes("ICD-10 M54.5 Low back pain") }, null, draft.Revision, Docs.Author, Clock.At(1));
        var flagCoded = draft.ComputeHash();

        Assert.Equal([new ClinicalCode(CodeSystems.Icd10, "M54.5", "Low back pain")], draft.Codes);
        Assert.Equal([new ClinicalCode(CodeSystems.Snomed, "386661006", "Fever")], draft.Flags[0].Codes);
        Assert.Equal("SNOMED 386661006 Fever", ClinicalCodeInput.ToLines(draft.CurrentContent().Flags[0].Codes));
        Assert.NotEqual(uncoded, flagCoded);

        // A display text is signed too: changing it changes the hash.
        document.Edit(draft, draft.CurrentContent() with { Codes = Codes("ICD-10 M54.5 Lumbago") }, null, draft.Revision, Docs.Author, Clock.At(2));
        Assert.NotEqual(flagCoded, draft.ComputeHash());
        Assert.Contains(draft.AuditEvents, e => e.Details.Contains("Codes:"));
    }

    [Fact]
    public void A_version_without_codes_keeps_the_hash_it_had_before_codes_existed()
    {
        var flags = new[] { new RedFlag(1, "Fever", "See a GP today.", Urgency.Urgent) };

        var hash = ContentHash.Of(DocumentKind.RedFlagList, "T", "S", "", flags, [], []);

        // The canonical form before codes: no "Codes" key anywhere. Pinned so a change to the form shows here.
        Assert.Equal(ContentHash.Of(DocumentKind.RedFlagList, "T", "S", "", flags), hash);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            """{"Kind":"RedFlagList","Title":"T","Summary":"S","Body":"","Flags":[{"Position":1,"Symptom":"Fever","Advice":"See a GP today.","Urgency":"Urgent"}]}"""))), hash);
        Assert.NotEqual(hash, ContentHash.Of(DocumentKind.RedFlagList, "T", "S", "", flags, [], [new ClinicalCode(CodeSystems.Icd10, "M45", "")]));
    }

    [Fact]
    public void Codes_show_in_the_comparison_only_when_either_side_has_some()
    {
        var plain = Contents.Article();
        var coded = plain with { Codes = Codes("ICD-10 M45 Ankylosing spondylitis") };

        Assert.DoesNotContain(ContentComparison.Of(DocumentKind.Article, plain, plain).Fields, f => f.Field == "Codes");
        var codes = Assert.Single(ContentComparison.Of(DocumentKind.Article, plain, coded).Fields, f => f.Field == "Codes");
        Assert.True(codes.Changed);
    }

    [Fact]
    public void A_flag_whose_codes_changed_is_a_changed_flag()
    {
        var before = new[] { Contents.Flag("Fever", "See a GP today.", "urgent") };
        var after = new[] { before[0] with { Codes = Codes("SNOMED 386661006 Fever") } };

        var diff = Assert.Single(ContentComparison.CompareFlags(before, after));

        Assert.Equal(FlagChange.Changed, diff.Change);
        Assert.True(diff.CodesChanged);
        Assert.Contains(diff.Codes, s => s.Kind == DiffKind.Inserted);
    }

    [Fact]
    public void A_conflict_names_the_Codes_field_and_a_merge_can_take_theirs()
    {
        var theirs = Contents.Article() with { Codes = Codes("ICD-10 M45") };
        var mine = Contents.Article() with { Codes = Codes("ICD-10 M54.5") };

        var conflict = Assert.Single(DraftConflict.Differences(DocumentKind.Article, theirs, mine));

        Assert.Equal(("Codes", "ICD-10 M45", "ICD-10 M54.5"), (conflict.Field, conflict.Theirs, conflict.Mine));
        Assert.Equal(theirs.Codes, DraftConflict.TakeField(mine, theirs, "Codes").Codes);
    }
}
