namespace ContentPortal.Domain.Tests;

public class ReaderFeedbackTests
{
    private static readonly Guid DocumentId = Guid.NewGuid();

    private static ReaderFeedback Received(string? comment = "The exercise advice is unclear.", string? section = "Exercise") =>
        ReaderFeedback.Receive(DocumentId, "lower-back-pain", 7, false, comment, section, Clock.At(0));

    [Theory]
    [InlineData("  Unclear.  ", "  Exercise ", "Unclear.", "Exercise")]
    [InlineData(null, null, null, null)]
    [InlineData("   ", "", null, null)]
    public void Receiving_keeps_the_words_trimmed_and_nothing_about_the_sender(string? comment, string? section, string? expectedComment, string? expectedSection)
    {
        var feedback = ReaderFeedback.Receive(DocumentId, "lower-back-pain", null, true, comment, section, Clock.At(0));

        Assert.Equal(FeedbackStatus.New, feedback.Status);
        Assert.Equal(expectedComment, feedback.Comment);
        Assert.Equal(expectedSection, feedback.Section);
        Assert.Null(feedback.SnapshotId);
        var record = Assert.Single(feedback.AuditEvents);
        Assert.Equal(AuditActions.FeedbackReceived, record.Action);
        Assert.Equal(ReaderFeedback.Readers.DisplayName, record.ActorName);
        Assert.DoesNotContain("Unclear", record.Details); // the reader's words are not copied into the append-only trail
    }

    [Theory]
    [InlineData(ReaderFeedback.MaxCommentLength, 10, 1, null)]
    [InlineData(ReaderFeedback.MaxCommentLength + 1, 10, 1, "comment")]
    [InlineData(10, ReaderFeedback.MaxSectionLength, 1, null)]
    [InlineData(10, ReaderFeedback.MaxSectionLength + 1, 1, "section")]
    [InlineData(10, 10, 0, "snapshotId")]
    [InlineData(10, 10, -1, "snapshotId")]
    public void Bounds(int commentLength, int sectionLength, int snapshotId, string? refusedField)
    {
        var receive = () => ReaderFeedback.Receive(DocumentId, "lower-back-pain", snapshotId, false, new string('x', commentLength), new string('s', sectionLength), Clock.At(0));

        if (refusedField is null)
        {
            Assert.Equal(commentLength, receive().Comment!.Length);
        }
        else
        {
            Assert.Equal([refusedField], Assert.Throws<InvalidContentException>(() => receive()).Errors.Keys);
        }
    }

    [Theory]
    [InlineData("action", FeedbackStatus.Actioned, AuditActions.FeedbackActioned)]
    [InlineData("dismiss", FeedbackStatus.Dismissed, AuditActions.FeedbackDismissed)]
    public void An_editor_actions_or_dismisses_new_feedback_once(string decision, FeedbackStatus expected, string action)
    {
        var feedback = Received();
        feedback.ClearAuditEvents();
        var editor = People.Editor();

        Decide(feedback, decision, editor, Clock.At(5));

        Assert.Equal(expected, feedback.Status);
        Assert.Equal(Clock.At(5), feedback.DecidedAt);
        Assert.Equal(editor.DisplayName, feedback.DecidedByName);
        Assert.Equal(action, Assert.Single(feedback.AuditEvents).Action);
        Assert.StartsWith("This feedback was already", Assert.Throws<RefusedException>(() => feedback.MarkActioned(editor, Clock.At(6))).Message);
        Assert.StartsWith("This feedback was already", Assert.Throws<RefusedException>(() => feedback.Dismiss(editor, Clock.At(6))).Message);
    }

    [Theory]
    [InlineData("Reviewer")]
    [InlineData("Publisher")]
    [InlineData("NoRole")]
    public void Only_editors_act_on_feedback(string role)
    {
        var feedback = Received();
        var by = People.ForRole(role);

        Assert.Equal("Only an editor can act on reader feedback.", Assert.Throws<RefusedException>(() => feedback.Dismiss(by, Clock.At(1))).Message);
        Assert.Equal(FeedbackStatus.New, feedback.Status);
    }

    [Fact]
    public void Attaching_to_a_draft_starts_a_thread_with_the_feedback_and_actions_it()
    {
        var document = Docs.NewArticle();
        var feedback = ReaderFeedback.Receive(document.Id, document.Slug, 3, false, "The exercise advice is unclear.", "Exercise", Clock.At(0));
        var editor = People.Editor();

        var thread = feedback.AttachTo(document.Latest, editor, Clock.At(5));

        Assert.Equal(document.Latest.Id, thread.VersionId);
        Assert.Equal(thread.Id, feedback.ThreadId);
        Assert.Equal(FeedbackStatus.Actioned, feedback.Status);
        var message = Assert.Single(thread.Messages);
        Assert.Equal("Reader feedback (not helpful, section \"Exercise\", received 2025-03-01 09:00 UTC): The exercise advice is unclear.", message.Text);
        Assert.Equal(editor.DisplayName, message.AuthorName);
    }

    [Fact]
    public void Feedback_is_attached_only_to_a_draft_of_its_own_document()
    {
        var other = Docs.NewArticle("other");
        var inReview = Docs.InReview();
        var feedback = ReaderFeedback.Receive(inReview.Id, inReview.Slug, null, false, "Unclear", null, Clock.At(0));

        Assert.Throws<RefusedException>(() => feedback.AttachTo(other.Latest, People.Editor(), Clock.At(5)));
        Assert.Throws<RefusedException>(() => feedback.AttachTo(inReview.Latest, People.Editor(), Clock.At(5)));
        Assert.Equal(FeedbackStatus.New, feedback.Status);
        Assert.Null(feedback.ThreadId);
    }

    private static void Decide(ReaderFeedback feedback, string decision, Actor by, DateTime at)
    {
        if (decision == "action")
        {
            feedback.MarkActioned(by, at);
        }
        else
        {
            feedback.Dismiss(by, at);
        }
    }
}
