namespace ContentPortal.Domain.Tests;

/// <summary>Signing rules of issue 12: a reason above the reading-age target, evidence re-checked at every full review.</summary>
public class ClinicalQualityTests
{
    private const string Hard = "## Treatment\n\nPharmacological intervention necessitates comprehensive evaluation of contraindications, cardiovascular comorbidities and gastrointestinal vulnerability.";
    private const string Easy = "## Treatment\n\nKeep moving. Take a walk each day.";

    private static readonly ReferenceInput[] TwoReferences =
    [
        new("NICE NG59", "https://www.nice.org.uk/guidance/ng59") { Section = "Treatment" },
        new("NHS back pain", "https://www.nhs.uk/conditions/back-pain/"),
    ];

    private static (Document Document, DocumentVersion Version) InReview(string body, params ReferenceInput[] references)
    {
        var content = Contents.Article(body: body) with { References = references };
        var document = Docs.NewArticle(content: content);
        document.Submit(document.Latest, "First version", Docs.Author, Clock.At(1));
        return (document, document.Latest);
    }

    private static SignOffPolicy Target(int? target) => new(1) { ReadingAgeTarget = target };

    [Theory]
    // body, target, reason typed, signed?, reason recorded, problem
    [InlineData(Easy, 12, null, true, null, null)]
    [InlineData(Easy, 12, "Not needed", true, null, null)] // below target: a typed reason is not recorded
    [InlineData(Hard, 12, null, false, null, "above the target of 12")]
    [InlineData(Hard, 12, "   ", false, null, "above the target of 12")]
    [InlineData(Hard, 12, "Drug names cannot be simplified.", true, "Drug names cannot be simplified.", null)]
    [InlineData(Hard, null, null, true, null, null)] // no target configured
    [InlineData(Hard, 40, null, true, null, null)]
    public void Reading_age_above_target_needs_a_reason(string body, int? target, string? reason, bool signed, string? recorded, string? problem)
    {
        var (document, version) = InReview(body);

        var act = () => document.Sign(version, new SignRequest(Docs.SecondReviewer, version.Revision, ReviewKind.Full, Clock.At(5)) { Policy = Target(target), PasswordVerified = true, Answers = new SigningAnswers(reason, []) });

        if (signed)
        {
            Assert.True(act());
            Assert.Equal(recorded, version.Approvals.Single().ReadabilityReason);
        }
        else
        {
            var refused = Assert.Throws<InvalidContentException>(() => act());
            Assert.Contains(problem!, refused.Errors["ReadabilityReason"]);
            Assert.Empty(version.Approvals);
            Assert.Equal(VersionStatus.InReview, version.Status);
        }
    }

    [Fact]
    public void A_reason_over_500_characters_is_refused()
    {
        var (document, version) = InReview(Hard);
        var refused = Assert.Throws<InvalidContentException>(() =>
            document.Sign(version, new SignRequest(Docs.SecondReviewer, version.Revision, ReviewKind.Full, Clock.At(5)) { Policy = Target(12), PasswordVerified = true, Answers = new SigningAnswers(new string('x', 501), []) }));
        Assert.Contains("500 characters", refused.Errors["ReadabilityReason"]);
        Assert.Empty(version.Approvals);
    }

    [Theory]
    // answers as "position:rechecked:reason|…"; expected problem keys ("" = signed)
    [InlineData("1:true:|2:true:", "")]
    [InlineData("1:true:|2:false:Guideline unchanged since 2024", "")]
    [InlineData("1:true:", "Evidence[1].Reason")] // a reference skipped
    [InlineData("", "Evidence[0].Reason,Evidence[1].Reason")]
    [InlineData("1:false:|2:true:", "Evidence[0].Reason")] // not ticked and no reason
    [InlineData("1:false:   |2:true:", "Evidence[0].Reason")]
    [InlineData("1:true:|2:true:|3:true:", "Evidence")] // a tick for a reference not on the version
    [InlineData("1:true:|1:true:|2:true:", "Evidence")] // answered twice
    [InlineData("1:false:LONG|2:true:", "Evidence[0].Reason")]
    public void A_full_review_answers_for_every_reference(string answers, string problems)
    {
        var (document, version) = InReview(Easy, TwoReferences);
        var evidence = Parse(answers);

        var act = () => document.Sign(version, new SignRequest(Docs.SecondReviewer, version.Revision, ReviewKind.Full, Clock.At(5)) { Policy = Target(12), PasswordVerified = true, Answers = new SigningAnswers(null, evidence) });

        if (problems.Length == 0)
        {
            Assert.True(act());
            Assert.Equal(2, version.EvidenceChecks.Count);
            Assert.All(version.EvidenceChecks, c => Assert.Equal("Rob Reviewer", c.CheckedByName));
            Assert.Equal(evidence.Select(a => a.Rechecked), version.EvidenceChecks.OrderBy(c => c.Position).Select(c => c.Rechecked));
            Assert.Contains("references re-checked", version.AuditEvents.Last(e => e.Action == AuditActions.VersionSigned).Details);
        }
        else
        {
            var refused = Assert.Throws<InvalidContentException>(() => act());
            Assert.Equal(problems.Split(',').Order(), refused.Errors.Keys.Order());
            Assert.Empty(version.Approvals);
            Assert.Empty(version.EvidenceChecks);
        }
    }

    [Fact]
    public void A_minor_change_needs_no_evidence_answers_and_keeps_the_earlier_checks()
    {
        var (document, first) = InReview(Easy, TwoReferences);
        document.Sign(first, new SignRequest(Docs.SecondReviewer, first.Revision, ReviewKind.Full, Clock.At(5)) { Policy = Target(12), PasswordVerified = true, Answers = new SigningAnswers(null, [new(1, true, null), new(2, false, "Page moved; checked the archive copy")]) });

        var draft = document.OpenDraft(Docs.Author, Clock.At(10), out _);
        document.Edit(draft, draft.CurrentContent() with { Summary = "Fixed a typo." }, "Typo", draft.Revision, Docs.Author, Clock.At(11));
        document.Submit(draft, "Typo", Docs.Author, Clock.At(12));
        Assert.True(document.Sign(draft, new SignRequest(Docs.SecondReviewer, draft.Revision, ReviewKind.Minor, Clock.At(20)) { Policy = Target(12), PasswordVerified = true }));

        Assert.Empty(draft.EvidenceChecks);
        var evidence = document.EvidenceOf(draft);
        Assert.Equal(Clock.At(5), evidence[0].LastRechecked?.CheckedAt);
        Assert.Null(evidence[1].LastRechecked); // answered, but not re-checked
        Assert.Equal("Page moved; checked the archive copy", evidence[1].LastAnswer?.Reason);
    }

    [Theory]
    // months since the last re-check of the oldest reference, review period → overdue?
    [InlineData(35, 36, false)]
    [InlineData(36, 36, true)]
    [InlineData(13, 12, true)]
    public void Evidence_falls_due_a_review_period_after_its_oldest_recheck(int monthsAgo, int period, bool overdue)
    {
        var now = Clock.T0.AddYears(5);
        var rechecks = new[] { ("https://a.example", now.AddMonths(-monthsAgo)), ("https://b.example", now.AddMonths(-1)) };

        var due = ClinicalQuality.EvidenceDue(["https://a.example", "https://B.example"], period, rechecks, [("https://a.example", now.AddMonths(-60))]);

        Assert.Equal(overdue, due <= now);
    }

    [Fact]
    public void A_reference_never_rechecked_counts_from_when_it_was_first_approved()
    {
        var cited = new[] { ("https://a.example", Clock.T0.AddMonths(5)), ("https://A.example", Clock.T0) };
        Assert.Equal(Clock.T0.AddMonths(36), ClinicalQuality.EvidenceDue(["https://a.example"], 36, [], cited));
        Assert.Null(ClinicalQuality.EvidenceDue([], 36, [], cited));
    }

    [Theory]
    [InlineData("NICE https://www.nice.org.uk/ng59 Treatment", "NICE", "https://www.nice.org.uk/ng59", "Treatment")]
    [InlineData("NICE https://www.nice.org.uk/ng59 — When to see a GP", "NICE", "https://www.nice.org.uk/ng59", "When to see a GP")]
    [InlineData("NICE https://www.nice.org.uk/ng59", "NICE", "https://www.nice.org.uk/ng59", null)]
    public void Text_after_the_link_names_the_section(string line, string source, string link, string? section)
    {
        var reference = Assert.Single(ReferenceInput.ParseLines(line));
        Assert.Equal((source, link, section), (reference.Source, reference.Link, reference.Section));
        Assert.Equal(reference, Assert.Single(ReferenceInput.ParseLines(reference.ToLine())));
    }

    [Theory]
    [InlineData("Treatment", null)]
    [InlineData("treatment", null)]
    [InlineData("Causes", "is not a heading of this article")]
    public void A_section_must_be_a_heading_of_the_article(string section, string? problem)
    {
        var content = Contents.Article(body: Easy) with { References = [new("NICE", "https://www.nice.org.uk/ng59") { Section = section }] };
        var errors = content.Validate(DocumentKind.Article);
        if (problem is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Contains(problem, errors["References"]);
        }
    }

    [Fact]
    public void A_section_changes_the_hash_only_when_present()
    {
        var (_, plain) = InReview(Easy, new ReferenceInput("NICE", "https://www.nice.org.uk/ng59"));
        var (_, withSection) = InReview(Easy, new ReferenceInput("NICE", "https://www.nice.org.uk/ng59") { Section = "Treatment" });

        // The canonical form without sections is byte for byte what it was before sections existed.
        var before = $$"""{"Kind":"Article","Title":"{{plain.Title}}","Summary":"{{plain.Summary}}","Body":"## Treatment\n\nKeep moving. Take a walk each day.","Flags":[],"References":[{"Position":1,"Source":"NICE","Link":"https://www.nice.org.uk/ng59"}]}""";
        Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(before))), plain.ContentHash);
        Assert.NotEqual(plain.ContentHash, withSection.ContentHash);
    }

    private static List<EvidenceAnswer> Parse(string answers) =>
        answers.Split('|', StringSplitOptions.RemoveEmptyEntries)
            .Select(a => a.Split(':', 3))
            .Select(p => new EvidenceAnswer(int.Parse(p[0]), bool.Parse(p[1]), p[2] == "LONG" ? new string('x', 501) : p[2]))
            .ToList();
}
