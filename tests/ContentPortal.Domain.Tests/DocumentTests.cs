namespace ContentPortal.Domain.Tests;

public class DocumentTests
{
    [Fact]
    public void Create_makes_version_1_as_a_draft_by_the_creator()
    {
        var document = Docs.NewArticle();

        var version = Assert.Single(document.Versions);
        Assert.Equal(1, version.Number);
        Assert.Equal(VersionStatus.Draft, version.Status);
        Assert.Equal(document.Id, version.DocumentId);
        Assert.Equal("lower-back-pain", document.Slug);
        Assert.Equal(DocumentKind.Article, document.Kind);
        Assert.Equal(Clock.At(0), document.CreatedAt);
        Assert.Equal([Docs.Author.UserId], version.Authors.Select(a => a.UserId));
        Assert.Same(version, document.OpenVersion);
        Assert.Null(document.LatestApproved);
        var created = Assert.Single(version.Transitions);
        Assert.Null(created.From);
        Assert.Equal(VersionStatus.Draft, created.To);
        Assert.Equal("Created", created.Comment);
    }

    [Fact]
    public void Create_requires_the_editor_role()
    {
        var refused = Assert.Throws<RefusedException>(() =>
            Document.Create(DocumentKind.Article, "lower-back-pain", Contents.Article(), People.Reviewer(), Clock.At(0)));

        Assert.Contains("create a document", refused.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Lower-Back-Pain")]
    [InlineData("lower back pain")]
    public void Create_refuses_a_bad_slug(string slug)
    {
        var invalid = Assert.Throws<InvalidContentException>(() => Docs.NewArticle(slug));

        Assert.Equal(["Slug"], invalid.Errors.Keys);
    }

    [Fact]
    public void Create_refuses_invalid_content()
    {
        var invalid = Assert.Throws<InvalidContentException>(() => Docs.NewArticle(content: Contents.Article(title: " ")));

        Assert.Equal(["Title"], invalid.Errors.Keys);
    }

    [Fact]
    public void Import_yields_version_1_approved_and_says_so()
    {
        var document = Document.Import(DocumentKind.Article, "lower-back-pain", Contents.Article(), Actor.SeedImport, Clock.At(0), "seed/articles/lower-back-pain.md");

        var version = Assert.Single(document.Versions);
        Assert.Equal(1, version.Number);
        Assert.Equal(VersionStatus.Approved, version.Status);
        Assert.Same(version, document.LatestApproved);
        Assert.Null(document.OpenVersion);
        Assert.Equal(version.ComputeHash(), version.ContentHash);
        Assert.Equal(Clock.At(0), version.ApprovedAt);
        Assert.Equal(Actor.SeedImport.DisplayName, version.ApprovedByName);
        Assert.Equal("Imported from seed/articles/lower-back-pain.md", version.ChangeNote);
        var imported = Assert.Single(version.Transitions);
        Assert.Null(imported.From);
        Assert.Equal(VersionStatus.Approved, imported.To);
        Assert.Equal("Imported from seed/articles/lower-back-pain.md", imported.Comment);
        Assert.Equal(Actor.SeedImport.UserId, imported.ByUserId);
    }

    [Fact]
    public void Import_names_the_source_when_the_slug_is_bad()
    {
        var invalid = Assert.Throws<InvalidContentException>(() =>
            Document.Import(DocumentKind.Article, "Bad Slug", Contents.Article(), Actor.SeedImport, Clock.At(0), "seed/bad.md"));

        Assert.StartsWith("seed/bad.md: ", invalid.Errors["Slug"]);
    }

    [Fact]
    public void OpenDraft_returns_the_existing_draft()
    {
        var document = Docs.NewArticle();
        var existing = document.Latest;

        var draft = document.OpenDraft(People.Editor("editor-2", "Ed Second"), Clock.At(5), out var created);

        Assert.False(created);
        Assert.Same(existing, draft);
        Assert.Single(document.Versions);
        // Opening is not editing: the opener is not an author until they save.
        Assert.False(draft.IsAuthoredBy("editor-2"));
    }

    [Fact]
    public void OpenDraft_after_approval_creates_the_next_version_copied_from_the_latest()
    {
        var document = Docs.Approved();
        var v1 = document.Latest;
        var opener = People.Editor("editor-2", "Ed Second");

        var draft = document.OpenDraft(opener, Clock.At(10), out var created);

        Assert.True(created);
        Assert.Equal(2, draft.Number);
        Assert.Equal(VersionStatus.Draft, draft.Status);
        Assert.NotEqual(v1.Id, draft.Id);
        Assert.Equal(v1.CurrentContent().Title, draft.CurrentContent().Title);
        Assert.Equal(v1.Summary, draft.Summary);
        Assert.Equal(v1.BodyMarkdown, draft.BodyMarkdown);
        Assert.Null(draft.ContentHash);
        Assert.Null(draft.ChangeNote);
        Assert.Equal(1, draft.Revision);
        Assert.Equal([opener.UserId], draft.Authors.Select(a => a.UserId));
        Assert.Equal("Started from version 1", Assert.Single(draft.Transitions).Comment);
        Assert.Same(draft, document.Latest);
        Assert.Same(draft, document.OpenVersion);
        Assert.Same(v1, document.LatestApproved);
        Assert.Equal(VersionStatus.Approved, v1.Status);
    }

    [Fact]
    public void OpenDraft_after_changes_requested_creates_the_next_version()
    {
        var document = Docs.ChangesRequested();

        var draft = document.OpenDraft(Docs.Author, Clock.At(10), out var created);

        Assert.True(created);
        Assert.Equal(2, draft.Number);
        Assert.Equal("Lower back pain", draft.Title);
        Assert.Equal(VersionStatus.ChangesRequested, document.Version(1).Status);
        Assert.Equal("Started from version 1", draft.Transitions[0].Comment);
    }

    [Fact]
    public void OpenDraft_copies_red_flags_with_their_urgency()
    {
        var document = Docs.NewRedFlagList(flags:
        [
            Contents.Flag("Numbness around the groin", "Call 999 now.", "emergency"),
            Contents.Flag("Fever with back pain", "See a GP today.", "Urgent"),
        ]);
        var v1 = document.Latest;
        document.Submit(v1, "First list", Docs.Author, Clock.At(1));
        document.Approve(v1, Docs.SecondReviewer, Clock.At(2), null);

        var v2 = document.OpenDraft(Docs.Author, Clock.At(3), out _);

        Assert.Equal(
            [(1, "Numbness around the groin", "Call 999 now.", Urgency.Emergency), (2, "Fever with back pain", "See a GP today.", Urgency.Urgent)],
            v2.Flags.Select(f => (f.Position, f.Symptom, f.Advice, f.Urgency)));
        Assert.Equal(v1.ComputeHash(), v2.ComputeHash());
    }

    [Fact]
    public void OpenDraft_is_refused_while_in_review()
    {
        var document = Docs.InReview();

        var refused = Assert.Throws<RefusedException>(() => document.OpenDraft(Docs.Author, Clock.At(10), out _));

        Assert.Contains("Version 1 is in review", refused.Message);
        Assert.Single(document.Versions);
    }

    [Fact]
    public void OpenDraft_requires_the_editor_role()
    {
        var document = Docs.Approved();

        var refused = Assert.Throws<RefusedException>(() => document.OpenDraft(People.Reviewer(), Clock.At(10), out _));

        Assert.Contains("edit content", refused.Message);
        Assert.Single(document.Versions);
    }

    [Fact]
    public void At_most_one_version_is_open()
    {
        var document = Docs.Approved();
        var v2 = document.OpenDraft(Docs.Author, Clock.At(10), out var first);
        var again = document.OpenDraft(People.Editor("editor-2", "Ed Second"), Clock.At(11), out var second);

        Assert.True(first);
        Assert.False(second);
        Assert.Same(v2, again);
        Assert.Equal(2, document.Versions.Count);
        Assert.Single(document.Versions, v => v.Status is VersionStatus.Draft or VersionStatus.InReview);
    }

    [Fact]
    public void Version_numbers_keep_counting_across_rounds()
    {
        var document = Docs.Approved();
        Docs.ApproveNewVersion(document, "Second title", 10);
        var v3 = Docs.ApproveNewVersion(document, "Third title", 20);

        Assert.Equal([1, 2, 3], document.Versions.Select(v => v.Number));
        Assert.Same(v3, document.LatestApproved);
        Assert.Equal("Third title", document.LatestApproved!.Title);
        Assert.Null(document.OpenVersion);
    }

    [Fact]
    public void Version_refuses_a_number_that_does_not_exist()
    {
        var document = Docs.NewArticle();

        var refused = Assert.Throws<RefusedException>(() => document.Version(2));

        Assert.Equal("This document has no version 2.", refused.Message);
        Assert.Same(document.Latest, document.Version(1));
    }

    // ---- The aggregate boundary: every change to a version goes through its document ---------

    [Theory]
    [InlineData("save", VersionStatus.Draft)]
    [InlineData("submit", VersionStatus.Draft)]
    [InlineData("claim", VersionStatus.InReview)]
    [InlineData("release", VersionStatus.InReview)]
    [InlineData("request changes", VersionStatus.InReview)]
    [InlineData("sign", VersionStatus.InReview)]
    public void A_document_refuses_a_change_to_another_documents_version(string change, VersionStatus status)
    {
        var document = Docs.InState(status);
        var other = Docs.InState(status);
        var version = other.Latest;
        if (change == "release")
        {
            other.ClaimForReview(version, People.Reviewer(), Clock.At(3), Clock.ClaimLifetime);
        }

        var revision = version.Revision;
        var events = version.AuditEvents.Count;
        Action act = change switch
        {
            "save" => () => document.Edit(version, Contents.Article(title: "Elsewhere"), null, version.Revision, Docs.Author, Clock.At(5)),
            "submit" => () => document.Submit(version, "Ready", Docs.Author, Clock.At(5)),
            "claim" => () => document.ClaimForReview(version, People.Reviewer("reviewer-9", "Remy"), Clock.At(5), Clock.ClaimLifetime),
            "release" => () => document.ReleaseClaim(version, People.Reviewer(), Clock.At(5)),
            "request changes" => () => document.RequestChanges(version, version.Revision, Docs.SecondReviewer, Clock.At(5), "Fix it."),
            _ => () => document.Sign(version, new SignRequest(Docs.SecondReviewer, version.Revision, ReviewKind.Full, Clock.At(5)) { PasswordVerified = true }),
        };

        var refused = Assert.Throws<RefusedException>(act);

        Assert.Equal("That version belongs to another document.", refused.Message);
        Assert.Equal(status, version.Status);
        Assert.Equal(revision, version.Revision);
        Assert.Equal(events, version.AuditEvents.Count);
    }
}
