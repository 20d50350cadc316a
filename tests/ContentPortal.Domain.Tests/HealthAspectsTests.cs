namespace ContentPortal.Domain.Tests;

/// <summary>Health aspects of an article's sections: suggested from headings, chosen by the editor, signed as content.</summary>
public class HealthAspectsTests
{
    private const string Body = "Most back pain gets better.\n\n## What causes lower back pain\n\nStrain.\n\n## How to ease it\n\nKeep moving.\n\n## When to get help\n\nCall 111.";

    [Theory]
    [InlineData("What causes lower back pain", HealthAspect.Causes)]
    [InlineData("Causes", HealthAspect.Causes)]
    [InlineData("Why does my back hurt at night?", HealthAspect.Causes)]
    [InlineData("Treatments", HealthAspect.Treatments)]
    [InlineData("How to ease it", HealthAspect.Treatments)]
    [InlineData("Painkillers and physiotherapy", HealthAspect.Treatments)]
    [InlineData("When to get help", HealthAspect.SeeDoctor)]
    [InlineData("When to talk with your doctor", HealthAspect.SeeDoctor)] // the seed article's heading
    [InlineData("Speak to a pharmacist", HealthAspect.SeeDoctor)]
    [InlineData("Urgent advice: call 999 if", HealthAspect.SeeDoctor)]
    [InlineData("See a GP if", HealthAspect.SeeDoctor)]
    [InlineData("Non-urgent advice: ask for an appointment", HealthAspect.SeeDoctor)]
    [InlineData("Symptoms of sciatica", HealthAspect.Symptoms)]
    [InlineData("Check if you have a slipped disc", HealthAspect.Symptoms)]
    [InlineData("How to prevent back pain", HealthAspect.Prevention)]
    [InlineData("Things you can do yourself", HealthAspect.SelfCare)]
    [InlineData("Complications", HealthAspect.RisksOrComplications)]
    [InlineData("Living with back pain", HealthAspect.LivingWith)]
    [InlineData("Common myths", HealthAspect.Misconceptions)]
    [InlineData("Back pain in pregnancy", HealthAspect.Pregnancy)]
    [InlineData("Side effects of ibuprofen", HealthAspect.SideEffects)]
    [InlineData("Outlook", HealthAspect.Prognosis)]
    [InlineData("About lower back pain", HealthAspect.Overview)]
    [InlineData("", HealthAspect.Overview)]
    [InlineData("Lower back pain", null)]
    [InlineData("Gardening", null)]
    public void A_heading_suggests_an_aspect_by_its_words(string heading, HealthAspect? expected)
    {
        Assert.Equal(expected, HealthAspects.Suggest(heading));
    }

    [Theory]
    [InlineData("Treatments", true, HealthAspect.Treatments)]
    [InlineData("seedoctor", true, HealthAspect.SeeDoctor)]
    [InlineData(" RisksOrComplications ", true, HealthAspect.RisksOrComplications)]
    [InlineData("TreatmentsHealthAspect", false, default(HealthAspect))]
    [InlineData("MedicalHelpUrgent", false, default(HealthAspect))]
    [InlineData("2", false, default(HealthAspect))]
    [InlineData("Causes,Symptoms", false, default(HealthAspect))]
    [InlineData("", false, default(HealthAspect))]
    public void Only_exact_short_names_parse(string text, bool parses, HealthAspect aspect)
    {
        Assert.Equal(parses, HealthAspects.TryParse(text, out var parsed));
        Assert.Equal(aspect, parsed);
    }

    [Theory]
    [InlineData(HealthAspect.Treatments, "Treatments", "https://schema.org/TreatmentsHealthAspect", "Treatments")]
    [InlineData(HealthAspect.RisksOrComplications, "RisksOrComplications", "https://schema.org/RisksOrComplicationsHealthAspect", "Risks or complications")]
    [InlineData(HealthAspect.SeeDoctor, "SeeDoctor", "https://schema.org/SeeDoctorHealthAspect", "See doctor")]
    public void Names_urls_and_labels(HealthAspect aspect, string name, string url, string label)
    {
        Assert.Equal((name, url, label), (HealthAspects.Name(aspect), HealthAspects.SchemaOrgUrl(aspect), HealthAspects.Label(aspect)));
    }

    [Fact]
    public void Schema_orgs_whole_enumeration_is_there()
    {
        // schema.org release 30.0 lists 29 members of HealthAspectEnumeration; MedicalHelpUrgent is the NHS's own, not one of them.
        Assert.Equal(29, HealthAspects.All.Count);
        Assert.DoesNotContain(HealthAspects.All, a => a.ToString() == "MedicalHelpUrgent");
    }

    [Theory]
    [InlineData("Intro.\n\n# Title\n\n## Causes\n\n### Deeper\n\nText", new[] { "", "Title", "Causes" })]
    [InlineData("## Causes\n\nA\n\n## Causes\n\nB", new[] { "Causes" })]
    [InlineData("## *What* causes [it](https://x.example)\n\nA", new[] { "What causes it" })]
    [InlineData("   \n\n## Only\n\nA", new[] { "Only" })]
    [InlineData("", new string[0])]
    public void Section_headings_are_the_feeds_sections(string body, string[] headings)
    {
        Assert.Equal(headings, HealthAspects.SectionHeadings(body));
    }

    [Fact]
    public void Chosen_aspects_follow_reordered_headings_and_drop_removed_ones()
    {
        var document = Docs.NewArticle(content: Contents.Article(body: Body) with
        {
            Aspects = [new("What causes lower back pain", HealthAspect.Causes), new("How to ease it", HealthAspect.SelfCare), new("", HealthAspect.Overview)],
        });
        var draft = document.Latest;
        Assert.Equal(
            [new SectionAspect("", HealthAspect.Overview), new("What causes lower back pain", HealthAspect.Causes), new("How to ease it", HealthAspect.SelfCare)],
            draft.Aspects);

        // "How to ease it" moves first; "What causes…" is renamed: its choice goes, the new heading has none until chosen.
        var reordered = "## How to ease it\n\nKeep moving.\n\n## Why it happens\n\nStrain.";
        document.Edit(draft, draft.CurrentContent() with { BodyMarkdown = reordered }, null, draft.Revision, Docs.Author, Clock.At(1));

        Assert.Equal([new SectionAspect("How to ease it", HealthAspect.SelfCare)], draft.Aspects);
        Assert.Contains(draft.AuditEvents, e => e.Details.Contains("Health aspects:"));
    }

    [Fact]
    public void A_red_flag_list_keeps_no_aspects()
    {
        var document = Docs.NewRedFlagList(flags: Contents.Flag());
        var draft = document.Latest;

        document.Edit(draft, draft.CurrentContent() with { Aspects = [new("", HealthAspect.Overview)] }, null, draft.Revision, Docs.Author, Clock.At(1));

        Assert.Empty(draft.Aspects);
    }

    [Fact]
    public void A_version_without_aspects_keeps_its_hash_and_choosing_one_changes_it()
    {
        var hash = ContentHash.Of(DocumentKind.Article, "T", "S", "## Causes\n\nA", [], [], [], []);

        // The canonical form without aspects: no "Aspects" key. Pinned so a change to the form shows here.
        Assert.Equal(ContentHash.Of(DocumentKind.Article, "T", "S", "## Causes\n\nA", []), hash);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            """{"Kind":"Article","Title":"T","Summary":"S","Body":"## Causes\n\nA","Flags":[]}"""))), hash);
        var causes = ContentHash.Of(DocumentKind.Article, "T", "S", "## Causes\n\nA", [], [], [], [new SectionAspect("Causes", HealthAspect.Causes)]);
        var risks = ContentHash.Of(DocumentKind.Article, "T", "S", "## Causes\n\nA", [], [], [], [new SectionAspect("Causes", HealthAspect.RisksOrComplications)]);
        Assert.NotEqual(hash, causes);
        Assert.NotEqual(causes, risks);
    }

    [Fact]
    public void Changing_an_aspect_after_approval_breaks_nothing_signed_it_takes_a_new_version_and_review()
    {
        var document = Docs.Approved();
        var approved = document.Latest;
        Assert.True(approved.SignaturesVerify());
        var signedHash = approved.ContentHash;

        var draft = document.OpenDraft(Docs.Author, Clock.At(100), out _);
        var body = approved.BodyMarkdown;
        var headings = HealthAspects.SectionHeadings(body);
        Assert.NotEmpty(headings);
        document.Edit(draft, draft.CurrentContent() with { Aspects = [new(headings[0], HealthAspect.Overview)] }, null, draft.Revision, Docs.Author, Clock.At(101));

        Assert.Equal(signedHash, approved.ComputeHash());
        Assert.True(approved.SignaturesVerify());
        Assert.NotEqual(signedHash, draft.ComputeHash());
        Assert.Equal(VersionStatus.Draft, draft.Status);
    }

    [Fact]
    public void The_diff_and_a_conflict_show_aspect_changes()
    {
        var before = Contents.Article(body: Body) with { Aspects = [new("How to ease it", HealthAspect.Treatments)] };
        var after = before with { Aspects = [new("How to ease it", HealthAspect.SelfCare)] };

        Assert.DoesNotContain(ContentComparison.Of(DocumentKind.Article, Contents.Article(), Contents.Article()).Fields, f => f.Field == "Aspects");
        var field = Assert.Single(ContentComparison.Of(DocumentKind.Article, before, after).Fields, f => f.Field == "Aspects");
        Assert.True(field.Changed);
        Assert.Contains(field.Segments, s => s.Kind == DiffKind.Deleted && s.Text.Contains("Treatments"));
        Assert.Contains(field.Segments, s => s.Kind == DiffKind.Inserted && s.Text.Contains("Self"));

        var conflict = Assert.Single(DraftConflict.Differences(DocumentKind.Article, before, after));
        Assert.Equal(("Aspects", "How to ease it: Treatments", "How to ease it: Self care"), (conflict.Field, conflict.Theirs, conflict.Mine));
        Assert.Equal(before.Aspects, DraftConflict.TakeField(after, before, "Aspects").Aspects);
    }
}
