using System.Reflection;

namespace ContentPortal.Domain.Tests;

public class DocumentVersionTests
{
    // ---- Four eyes ---------------------------------------------------------------------------

    [Theory]
    [InlineData("creator", false)]
    [InlineData("second editor who edited", false)]
    [InlineData("different reviewer", true)]
    [InlineData("admin who edited", false)]
    [InlineData("admin who did not edit", true)]
    public void Four_eyes_only_someone_who_did_not_edit_may_approve(string who, bool mayApprove)
    {
        var creator = People.EditorReviewer("creator-1", "Cara Creator");
        var secondEditor = People.EditorReviewer("editor-2", "Ed Second");
        var editingAdmin = People.Admin("admin-1", "Ada Admin");
        var document = Document.Create(DocumentKind.Article, "lower-back-pain", Contents.Article(), creator, Clock.At(0));
        var version = document.Latest;
        document.Edit(version, Contents.Article(title: "Back pain"), null, version.Revision, secondEditor, Clock.At(1));
        document.Edit(version, Contents.Article(title: "Back pain in adults"), null, version.Revision, editingAdmin, Clock.At(2));
        document.Submit(version, "Reworded the title", creator, Clock.At(3));

        var approver = who switch
        {
            "creator" => creator,
            "second editor who edited" => secondEditor,
            "different reviewer" => People.Reviewer("reviewer-9", "Rhea Reviewer"),
            "admin who edited" => editingAdmin,
            "admin who did not edit" => People.Admin("admin-2", "Abe Admin"),
            _ => throw new ArgumentOutOfRangeException(nameof(who)),
        };

        if (mayApprove)
        {
            document.Approve(version, approver, Clock.At(4), null);
            Assert.Equal(VersionStatus.Approved, version.Status);
            Assert.Equal(approver.DisplayName, version.ApprovedByName);
        }
        else
        {
            var refused = Assert.Throws<RefusedException>(() => document.Approve(version, approver, Clock.At(4), null));
            Assert.Contains("you cannot approve it", refused.Message);
            Assert.Contains("Another reviewer", refused.Message);
            Assert.Equal(VersionStatus.InReview, version.Status);
            Assert.Null(version.ApprovedAt);
        }
    }

    [Fact]
    public void A_reviewer_who_only_requested_changes_did_not_become_an_author()
    {
        var document = Docs.InReview();
        var version = document.Latest;

        document.RequestChanges(version, version.Revision, Docs.SecondReviewer, Clock.At(2), "Fix it.");

        Assert.False(version.IsAuthoredBy(Docs.SecondReviewer.UserId));
        Assert.Equal([Docs.Author.UserId], version.Authors.Select(a => a.UserId));
    }

    /// <summary>
    /// Questionable rule: authorship does not carry over into a new draft. The author of a version
    /// that was sent back can approve the next version, which is a copy of their own unapproved text,
    /// as soon as anybody else has opened (and so "authored") the new draft.
    /// </summary>
    [Fact]
    public void Four_eyes_author_of_a_sent_back_version_cannot_approve_the_copy_of_it()
    {
        var document = Docs.ChangesRequested();
        var otherEditor = People.Editor("editor-2", "Ed Second");
        var v2 = document.OpenDraft(otherEditor, Clock.At(3), out _);
        document.Submit(v2, "Resubmitted unchanged", otherEditor, Clock.At(4));

        // Author wrote every word of v2 (copied from v1, which a reviewer sent back), yet may approve it.
        Assert.Throws<RefusedException>(() => document.Approve(v2, Docs.Author, Clock.At(5), null));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void RequestChanges_needs_a_comment(string? comment)
    {
        var document = Docs.InReview();
        var version = document.Latest;

        var invalid = Assert.Throws<InvalidContentException>(() => document.RequestChanges(version, version.Revision, Docs.SecondReviewer, Clock.At(2), comment));

        Assert.Equal(["Comment"], invalid.Errors.Keys);
        Assert.Equal(VersionStatus.InReview, version.Status);
    }

    [Fact]
    public void RequestChanges_records_the_trimmed_comment()
    {
        var document = Docs.InReview();
        var version = document.Latest;

        document.RequestChanges(version, version.Revision, Docs.SecondReviewer, Clock.At(2), "  Add the exercise advice.  ");

        Assert.Equal(VersionStatus.ChangesRequested, version.Status);
        var last = version.Transitions[^1];
        Assert.Equal("Add the exercise advice.", last.Comment);
        Assert.Equal(VersionStatus.InReview, last.From);
        Assert.Equal(VersionStatus.ChangesRequested, last.To);
    }

    // ---- Editing -----------------------------------------------------------------------------

    [Theory]
    [InlineData(VersionStatus.InReview)]
    [InlineData(VersionStatus.Approved)]
    [InlineData(VersionStatus.ChangesRequested)]
    public void Editing_a_version_that_left_draft_is_refused(VersionStatus status)
    {
        var document = Docs.InState(status);
        var version = document.Latest;
        var revision = version.Revision;

        var refused = Assert.Throws<RefusedException>(() =>
            document.Edit(version, Contents.Article(title: "Sneaky change"), "note", revision, Docs.Author, Clock.At(10)));

        Assert.Contains("can no longer be edited", refused.Message);
        Assert.Contains(Workflow.Label(status), refused.Message);
        Assert.False(version.IsEditable);
        Assert.Equal("Lower back pain", version.Title);
        Assert.Equal(revision, version.Revision);
    }

    [Fact]
    public void Stale_revision_is_refused_and_the_content_is_unchanged()
    {
        var document = Docs.NewArticle();
        var version = document.Latest;
        var opened = version.Revision;
        document.Edit(version, Contents.Article(title: "First save"), null, opened, People.Editor("editor-2", "Ed Second"), Clock.At(1));

        var stale = Assert.Throws<StaleDraftException>(() =>
            document.Edit(version, Contents.Article(title: "Second save"), null, opened, People.Editor("editor-3", "Eve Third"), Clock.At(2)));

        Assert.Equal(opened, stale.ExpectedRevision);
        Assert.Equal(opened + 1, stale.ActualRevision);
        Assert.Equal("First save", version.Title);
        Assert.Equal(opened + 1, version.Revision);
        Assert.False(version.IsAuthoredBy("editor-3"));
    }

    [Fact]
    public void Edit_bumps_revision_and_adds_the_editor_to_authors_once()
    {
        var document = Docs.NewArticle();
        var version = document.Latest;
        var second = People.Editor("editor-2", "Ed Second");
        Assert.Equal(1, version.Revision);

        document.Edit(version, Contents.Article(title: "  Back pain  "), "  Shorter title ", 1, second, Clock.At(1));
        document.Edit(version, Contents.Article(title: "Back pain again"), null, 2, second, Clock.At(2));
        document.Edit(version, Contents.Article(title: "Back pain, finally"), null, 3, Docs.Author, Clock.At(3));

        Assert.Equal(4, version.Revision);
        Assert.Equal("Back pain, finally", version.Title);
        Assert.Equal([Docs.Author.UserId, second.UserId], version.Authors.Select(a => a.UserId));
        Assert.Equal(Clock.At(3), version.UpdatedAt);
        Assert.Equal(Docs.Author.DisplayName, version.UpdatedByName);
        Assert.Equal(Clock.At(0), version.CreatedAt);
        // Edits are not workflow steps.
        Assert.Single(version.Transitions);
    }

    [Fact]
    public void Edit_trims_text_and_normalises_line_endings()
    {
        var document = Docs.NewArticle();
        var version = document.Latest;

        document.Edit(version, Contents.Article(title: "  Title  ", summary: " Summary ", body: "a\r\nb"), "  note  ", 1, Docs.Author, Clock.At(1));

        Assert.Equal("Title", version.Title);
        Assert.Equal("Summary", version.Summary);
        Assert.Equal("a\nb", version.BodyMarkdown);
        Assert.Equal("note", version.ChangeNote);
    }

    [Fact]
    public void Edit_requires_the_editor_role()
    {
        var document = Docs.NewArticle();
        var version = document.Latest;

        var refused = Assert.Throws<RefusedException>(() =>
            document.Edit(version, Contents.Article(title: "x"), null, 1, People.Reviewer(), Clock.At(1)));

        Assert.Contains("editor can edit a draft", refused.Message);
        Assert.Equal(1, version.Revision);
    }

    [Fact]
    public void Role_refusal_uses_the_right_article()
    {
        var document = Docs.NewArticle();
        var version = document.Latest;

        var refused = Assert.Throws<RefusedException>(() =>
            document.Edit(version, Contents.Article(title: "x"), null, 1, People.Reviewer(), Clock.At(1)));

        Assert.Equal("Only an editor can edit a draft.", refused.Message);
    }

    [Fact]
    public void Edit_with_invalid_content_changes_nothing()
    {
        var document = Docs.NewArticle();
        var version = document.Latest;
        var second = People.Editor("editor-2", "Ed Second");

        var invalid = Assert.Throws<InvalidContentException>(() =>
            document.Edit(version, Contents.Article(title: ""), null, 1, second, Clock.At(1)));

        Assert.Contains("Title", invalid.Errors.Keys);
        Assert.Equal("Lower back pain", version.Title);
        Assert.Equal(1, version.Revision);
        Assert.False(version.IsAuthoredBy(second.UserId));
    }

    // ---- Submitting --------------------------------------------------------------------------

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Submit_needs_a_change_note(string? note)
    {
        var document = Docs.NewArticle();
        var version = document.Latest;

        var invalid = Assert.Throws<InvalidContentException>(() => document.Submit(version, note, Docs.Author, Clock.At(1)));

        Assert.Equal(["ChangeNote"], invalid.Errors.Keys);
        Assert.Equal(VersionStatus.Draft, version.Status);
        Assert.Null(version.ContentHash);
        Assert.Null(version.SubmittedAt);
    }

    [Fact]
    public void Submit_uses_the_note_saved_with_the_last_edit()
    {
        var document = Docs.NewArticle();
        var version = document.Latest;
        document.Edit(version, Contents.Article(title: "Back pain"), "Shorter title", 1, Docs.Author, Clock.At(1));

        document.Submit(version, null, Docs.Author, Clock.At(2));

        Assert.Equal(VersionStatus.InReview, version.Status);
        Assert.Equal("Shorter title", version.ChangeNote);
    }

    [Fact]
    public void Submit_freezes_the_content_hash()
    {
        var document = Docs.NewArticle();
        var version = document.Latest;
        Assert.Null(version.ContentHash);

        document.Submit(version, "  First version ", Docs.Author, Clock.At(1));

        var expected = ContentHash.Of(DocumentKind.Article, version.Title, version.Summary, version.BodyMarkdown, version.Flags);
        Assert.Equal(expected, version.ContentHash);
        Assert.StartsWith("sha256:", version.ContentHash);
        Assert.Equal(7 + 64, version.ContentHash!.Length);
        Assert.Equal(Clock.At(1), version.SubmittedAt);
        Assert.Equal("First version", version.ChangeNote);
        Assert.Equal(VersionStatus.InReview, version.Status);
    }

    [Fact]
    public void Submit_of_an_empty_red_flag_list_is_refused()
    {
        var document = Docs.NewRedFlagList();
        var version = document.Latest;

        var invalid = Assert.Throws<InvalidContentException>(() => document.Submit(version, "First", Docs.Author, Clock.At(1)));

        Assert.Equal(["Flags"], invalid.Errors.Keys);
        Assert.Equal(VersionStatus.Draft, version.Status);
    }

    [Fact]
    public void Submit_requires_the_editor_role()
    {
        var document = Docs.NewArticle();
        var version = document.Latest;

        var refused = Assert.Throws<RefusedException>(() => document.Submit(version, "First", People.Reviewer(), Clock.At(1)));

        Assert.Contains("submit a draft for review", refused.Message);
        Assert.Equal(VersionStatus.Draft, version.Status);
    }

    // ---- Approving ---------------------------------------------------------------------------

    [Fact]
    public void Approve_records_who_and_when()
    {
        var document = Docs.InReview();
        var version = document.Latest;

        document.Approve(version, Docs.SecondReviewer, Clock.At(5), "  Clinically sound.  ");

        Assert.Equal(VersionStatus.Approved, version.Status);
        Assert.Equal(Clock.At(5), version.ApprovedAt);
        Assert.Equal(Docs.SecondReviewer.DisplayName, version.ApprovedByName);
        Assert.Equal("Clinically sound.", version.Transitions[^1].Comment);
    }

    [Fact]
    public void Approve_is_refused_when_the_content_no_longer_matches_its_hash()
    {
        var document = Docs.InReview();
        var version = document.Latest;
        // Nothing public can change a frozen version, so simulate tampering (e.g. in the database).
        typeof(DocumentVersion).GetProperty(nameof(DocumentVersion.Title), BindingFlags.Public | BindingFlags.Instance)!
            .SetValue(version, "Tampered title");

        var refused = Assert.Throws<RefusedException>(() => document.Approve(version, Docs.SecondReviewer, Clock.At(5), null));

        Assert.Contains("no longer matches what was submitted", refused.Message);
        Assert.Equal(VersionStatus.InReview, version.Status);
    }

    // ---- History -----------------------------------------------------------------------------

    [Fact]
    public void Every_transition_is_recorded_with_who_from_to_and_comment()
    {
        var document = Docs.NewArticle();
        var version = document.Latest;
        document.Submit(version, "First version", Docs.Author, Clock.At(1));
        document.RequestChanges(version, version.Revision, Docs.SecondReviewer, Clock.At(2), "Add the exercise advice.");

        var history = version.Transitions.Select(t => (t.At, t.ByUserId, t.ByName, t.From, t.To, t.Comment)).ToList();

        Assert.Equal(
            [
                (Clock.At(0), Docs.Author.UserId, Docs.Author.DisplayName, (VersionStatus?)null, VersionStatus.Draft, (string?)"Created"),
                (Clock.At(1), Docs.Author.UserId, Docs.Author.DisplayName, VersionStatus.Draft, VersionStatus.InReview, null),
                (Clock.At(2), Docs.SecondReviewer.UserId, Docs.SecondReviewer.DisplayName, VersionStatus.InReview, VersionStatus.ChangesRequested, "Add the exercise advice."),
            ],
            history);
    }

    [Fact]
    public void Approval_path_is_recorded_in_order()
    {
        var version = Docs.Approved().Latest;

        Assert.Equal(
            [(null, VersionStatus.Draft), (VersionStatus.Draft, VersionStatus.InReview), (VersionStatus.InReview, VersionStatus.Approved)],
            version.Transitions.Select(t => ((VersionStatus?)t.From, t.To)));
        Assert.Equal("Looks right.", version.Transitions[^1].Comment);
        Assert.Equal(Docs.SecondReviewer.UserId, version.Transitions[^1].ByUserId);
    }

    [Fact]
    public void Workflow_steps_bump_the_revision_so_an_old_form_is_stale()
    {
        var document = Docs.NewArticle();
        var version = document.Latest;

        document.Submit(version, "First version", Docs.Author, Clock.At(1));

        Assert.Equal(2, version.Revision);
        Assert.Equal(Clock.At(1), version.UpdatedAt);
    }
}
