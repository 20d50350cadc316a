using System.Text;

namespace ContentPortal.Domain.Tests;

/// <summary>Withdrawal on a date: set, refused input, cancel, and the run that publishes the snapshot minus one document.</summary>
public class WithdrawalTests
{
    private static readonly Actor Publisher = People.Publisher();

    private static Document Published(string slug = "lower-back-pain")
    {
        var document = Docs.Approved(slug);
        Tamper.Set(document, nameof(Document.PublishedVersionId), document.Latest.Id);
        return document;
    }

    private static Publication Publish(SnapshotPlan plan, int minute)
    {
        var publication = Snapshot.Publish(plan, Publisher, Clock.At(minute), "Note");
        publication.Seal(Snapshot.StrongETag(Encoding.UTF8.GetBytes("{}")));
        return publication;
    }

    private static Withdrawal SetAt60(Document document) =>
        Withdrawal.Set(document, null, Publisher, Clock.At(10), Clock.At(60), " Superseded by the NICE guideline ");

    [Fact]
    public void A_publisher_sets_a_withdrawal_and_it_is_audited()
    {
        var document = Published();

        var withdrawal = SetAt60(document);

        Assert.Equal((WithdrawalStatus.Pending, "Superseded by the NICE guideline", Clock.At(60), Publisher.DisplayName, document.Id),
            (withdrawal.Status, withdrawal.Reason, withdrawal.DueAt, withdrawal.SetByName, withdrawal.DocumentId));
        var audit = Assert.Single(withdrawal.AuditEvents);
        Assert.Equal(AuditActions.WithdrawalSet, audit.Action);
        Assert.Contains("Superseded by the NICE guideline", audit.Details);
    }

    [Theory]
    [InlineData(null, "Out of date", "WithdrawOn", "Pick the date and time to withdraw it.")]
    [InlineData(10, "Out of date", "WithdrawOn", "Pick a time in the future.")]
    [InlineData(5, "Out of date", "WithdrawOn", "Pick a time in the future.")]
    [InlineData(60, "", "Reason", "Say why it is withdrawn; the feed's note carries it.")]
    [InlineData(60, "   ", "Reason", "Say why it is withdrawn; the feed's note carries it.")]
    [InlineData(60, "long", "Reason", "Keep the reason under 250 characters.")]
    public void Bad_input_is_refused_by_its_field(int? minute, string reason, string field, string message)
    {
        var typed = reason == "long" ? new string('x', 251) : reason;

        var invalid = Assert.Throws<InvalidContentException>(() =>
            Withdrawal.Set(Published(), null, Publisher, Clock.At(10), minute is { } m ? Clock.At(m) : null, typed));

        Assert.Equal(message, invalid.Errors[field]);
    }

    [Theory]
    [InlineData("editor", "Only a publisher can withdraw a document.")]
    [InlineData("retired", "\u201cLower back pain\u201d is retired already; it leaves the feed with the next publish.")]
    [InlineData("unpublished", "\u201cLower back pain\u201d is not published, so there is nothing to withdraw.")]
    [InlineData("twice", "\u201cLower back pain\u201d is set to be withdrawn on 2025-03-01 10:00 UTC already; cancel that first to change it.")]
    public void A_withdrawal_is_refused_when_it_cannot_be_set(string situation, string message)
    {
        var document = Published();
        var by = situation == "editor" ? People.Editor() : Publisher;
        Withdrawal? pending = null;
        switch (situation)
        {
            case "retired":
                document.Retire(Publisher, Clock.At(5));
                break;
            case "unpublished":
                Tamper.Set(document, nameof(Document.PublishedVersionId), null);
                break;
            case "twice":
                pending = SetAt60(document);
                break;
        }

        Assert.Equal(message, Assert.Throws<RefusedException>(() => Withdrawal.Set(document, pending, by, Clock.At(10), Clock.At(90), "Out of date")).Message);
    }

    [Theory]
    [InlineData(59, false)]
    [InlineData(60, true)]
    [InlineData(6000, true)]
    public void A_withdrawal_is_due_at_or_after_its_time(int minute, bool due) =>
        Assert.Equal(due, SetAt60(Published()).IsDue(Clock.At(minute)));

    [Fact]
    public void When_due_it_publishes_the_current_snapshot_minus_the_document_only_once()
    {
        var withdrawn = Published();
        var kept = Published("neck-pain");
        var current = Publish(SnapshotPlan.For(null, [withdrawn, kept]), 5).Contents;
        var withdrawal = SetAt60(withdrawn);
        // Approved after the last publish: not part of the withdrawal's snapshot.
        Docs.ApproveNewVersion(kept, "Neck pain, revised", 20);

        Assert.Equal("This withdrawal is set for 2025-03-01 10:00:00Z; it is not due yet.",
            Assert.Throws<RefusedException>(() => withdrawal.Run(withdrawn, current, Clock.At(59))).Message);
        var publication = withdrawal.Run(withdrawn, current, Clock.At(61));

        Assert.NotNull(publication);
        var entry = Assert.Single(publication.Entries);
        Assert.Equal(current.Entries.Single(e => e.DocumentId == kept.Id), entry);
        var change = Assert.Single(publication.Changes);
        Assert.Equal((EntryChange.Removed, withdrawn.Id), (change.Change, change.Entry.DocumentId));
        Assert.Equal((2, Publisher.DisplayName, Clock.At(61)), (publication.Snapshot.Id, publication.Snapshot.PublishedByName, publication.Snapshot.PublishedAt));
        Assert.Equal("Withdrawn on schedule: \u201cLower back pain\u201d. Superseded by the NICE guideline (Only this document changed: other approved changes wait for the next publish.)",
            publication.Snapshot.Note);
        Assert.True(withdrawn.IsRetired);
        Assert.Equal((WithdrawalStatus.Withdrawn, 2, "Withdrawn in snapshot 2."), (withdrawal.Status, withdrawal.SnapshotId, withdrawal.Outcome));
        Assert.False(withdrawal.IsDue(Clock.At(62)));
        Assert.Equal("This withdrawal already ran (snapshot 2).",
            Assert.Throws<RefusedException>(() => withdrawal.Run(withdrawn, publication.Contents, Clock.At(62))).Message);
    }

    [Fact]
    public void A_document_already_out_of_the_feed_is_not_withdrawn_again_and_it_says_why()
    {
        var withdrawn = Published();
        var kept = Published("neck-pain");
        var withdrawal = SetAt60(withdrawn);
        var current = Publish(SnapshotPlan.For(null, [kept]), 30).Contents;

        Assert.Null(withdrawal.Run(withdrawn, current, Clock.At(60)));

        Assert.Equal((WithdrawalStatus.NotWithdrawn, "Not run: \u201cLower back pain\u201d was not in snapshot 1; it is retired."), (withdrawal.Status, withdrawal.Outcome));
        Assert.Contains(withdrawal.AuditEvents, a => a.Action == AuditActions.WithdrawalNotRun);
    }

    [Theory]
    [InlineData("pending", null)]
    [InlineData("cancelled", "This withdrawal was cancelled.")]
    [InlineData("ran", "This withdrawal already ran (snapshot 2).")]
    [InlineData("editor", "Only a publisher can cancel a withdrawal.")]
    public void It_can_be_cancelled_until_it_runs(string situation, string? refusal)
    {
        var document = Published();
        var withdrawal = SetAt60(document);
        var by = situation == "editor" ? People.Editor() : Publisher;
        if (situation == "cancelled")
        {
            withdrawal.Cancel(Publisher, Clock.At(20));
        }
        else if (situation == "ran")
        {
            withdrawal.Run(document, Publish(SnapshotPlan.For(null, [document]), 5).Contents, Clock.At(60));
        }

        if (refusal is null)
        {
            withdrawal.Cancel(by, Clock.At(30));
            Assert.Equal((WithdrawalStatus.Cancelled, "Cancelled by Paul Publisher."), (withdrawal.Status, withdrawal.Outcome));
            Assert.Contains(withdrawal.AuditEvents, a => a.Action == AuditActions.WithdrawalCancelled);
        }
        else
        {
            Assert.Equal(refusal, Assert.Throws<RefusedException>(() => withdrawal.Cancel(by, Clock.At(70))).Message);
        }
    }

    private static Withdrawal ProposeAt60(Document document) =>
        Withdrawal.Propose(document, document.LatestApproved!, null, Docs.SecondReviewer, Clock.At(10), Clock.At(60), "Evidence withdrawn");

    [Fact]
    public void A_reviewer_proposes_it_at_a_periodic_review_and_it_runs_only_once_a_publisher_confirms_it()
    {
        var document = Published();
        var withdrawal = ProposeAt60(document);

        Assert.Equal((WithdrawalStatus.Proposed, "Rob Reviewer", ""), (withdrawal.Status, withdrawal.ProposedByName, withdrawal.SetByName));
        Assert.False(withdrawal.IsDue(Clock.At(61)));
        Assert.Equal("This withdrawal is only proposed; a publisher must confirm it first.",
            Assert.Throws<RefusedException>(() => withdrawal.Run(document, null, Clock.At(61))).Message);
        Assert.Equal("Rob Reviewer proposed withdrawing \u201cLower back pain\u201d on 2025-03-01 10:00 UTC; a publisher confirms or declines that first.",
            Assert.Throws<RefusedException>(() => Withdrawal.Set(document, withdrawal, Publisher, Clock.At(11), Clock.At(90), "Other")).Message);
        Assert.Equal("Only a publisher can confirm a withdrawal.", Assert.Throws<RefusedException>(() => withdrawal.Confirm(Docs.SecondReviewer, Clock.At(20))).Message);

        withdrawal.Confirm(Publisher, Clock.At(20));

        Assert.Equal((WithdrawalStatus.Pending, Publisher.DisplayName), (withdrawal.Status, withdrawal.SetByName));
        Assert.True(withdrawal.IsDue(Clock.At(60)));
        Assert.Equal("This withdrawal is confirmed already.", Assert.Throws<RefusedException>(() => withdrawal.Confirm(Publisher, Clock.At(21))).Message);
        Assert.Equal([AuditActions.WithdrawalProposed, AuditActions.WithdrawalSet], withdrawal.AuditEvents.Select(a => a.Action));
    }

    [Theory]
    [InlineData("editor", "Only a reviewer can propose a withdrawal at a periodic review.")]
    [InlineData("newer approved", "Version 1 is not the published version a periodic review keeps, so there is nothing to withdraw from here.")]
    [InlineData("late", "The proposed time (2025-03-01 10:00 UTC) has passed: decline this proposal and set a withdrawal with a new date.")]
    public void A_proposal_is_refused_when_it_cannot_be_made_or_confirmed(string situation, string message)
    {
        var document = Published();
        var published = document.LatestApproved!;
        var refusal = situation switch
        {
            "editor" => Assert.Throws<RefusedException>(() => Withdrawal.Propose(document, published, null, People.Editor(), Clock.At(10), Clock.At(60), "Old")),
            "newer approved" => Assert.Throws<RefusedException>(() =>
            {
                Docs.ApproveNewVersion(document, "Lower back pain", 5);
                Withdrawal.Propose(document, published, null, Docs.SecondReviewer, Clock.At(10), Clock.At(60), "Old");
            }),
            _ => Assert.Throws<RefusedException>(() => ProposeAt60(document).Confirm(Publisher, Clock.At(60))),
        };

        Assert.Equal(message, refusal.Message);
    }

    [Fact]
    public void A_publisher_declines_a_proposal()
    {
        var withdrawal = ProposeAt60(Published());

        withdrawal.Cancel(Publisher, Clock.At(20));

        Assert.Equal((WithdrawalStatus.Cancelled, "Declined by Paul Publisher."), (withdrawal.Status, withdrawal.Outcome));
    }
}
