using System.Text;

namespace ContentPortal.Domain.Tests;

/// <summary>The overdue policy: when an item is overdue, its settings, what a round flags or withdraws, and how the flag shows as a change.</summary>
public class OverduePolicyTests
{
    private static readonly DateTime Due = new(2028, 3, 1, 9, 0, 0, DateTimeKind.Utc);

    private static SnapshotEntry Entry(string slug, int periodicReviews = 0, bool overdue = false, Guid? documentId = null, Guid? versionId = null, int version = 1) =>
        new(documentId ?? Ids.Of(slug), versionId ?? Ids.Of(slug + version), version, DocumentKind.Article, slug, $"Title of {slug}", periodicReviews, overdue);

    private static OverdueDocument DueOf(SnapshotEntry entry) => new(entry.DocumentId, entry.Kind, entry.Slug, entry.Title, Due);

    [Theory]
    [InlineData(null, 0, false)]
    [InlineData(-1, 0, true)]
    [InlineData(0, 0, true)]
    [InlineData(1, 0, false)]
    [InlineData(0, -1, false)]
    public void An_item_is_overdue_once_its_review_date_is_reached(int? dueOffsetMinutes, int nowOffsetMinutes, bool overdue) =>
        Assert.Equal(overdue, OverduePolicy.IsOverdue(dueOffsetMinutes is { } d ? Due.AddMinutes(d) : null, Due.AddMinutes(nowOffsetMinutes)));

    [Theory]
    [InlineData(OverdueAction.Flag, 30, 10000, false)]
    [InlineData(OverdueAction.Withdraw, 30, 0, false)]
    [InlineData(OverdueAction.Withdraw, 30, 29, false)]
    [InlineData(OverdueAction.Withdraw, 30, 30, true)]
    [InlineData(OverdueAction.Withdraw, 0, 0, true)]
    [InlineData(OverdueAction.Withdraw, 7, 6, false)]
    public void Withdraw_acts_only_after_the_grace_days(OverdueAction action, int graceDays, int daysAfterDue, bool withdraws)
    {
        var policy = new OverduePolicy(action, graceDays);

        Assert.Equal(withdraws, policy.Withdraws(Due, Due.AddDays(daysAfterDue)));
        Assert.Equal(action == OverdueAction.Withdraw ? Due.AddDays(graceDays) : null, policy.WithdrawsAt(Due));
        Assert.False(policy.Withdraws(null, Due.AddDays(daysAfterDue)));
    }

    [Theory]
    [InlineData(null, null, OverdueAction.Flag, 30, null)]
    [InlineData("", " ", OverdueAction.Flag, 30, null)]
    [InlineData("Flag", "45", OverdueAction.Flag, 45, null)]
    [InlineData("withdraw", " 0 ", OverdueAction.Withdraw, 0, null)]
    [InlineData("Withdraw", "3650", OverdueAction.Withdraw, 3650, null)]
    [InlineData("Delete", null, OverdueAction.Flag, 30, "Content:OverdueAction is 'Delete'; use 'Flag' (the default) or 'Withdraw'.")]
    [InlineData("1", null, OverdueAction.Flag, 30, "Content:OverdueAction is '1'; use 'Flag' (the default) or 'Withdraw'.")]
    [InlineData(null, "-1", OverdueAction.Flag, 30, "Content:OverdueGraceDays is '-1'; use a whole number of days from 0 to 3650 (default 30).")]
    [InlineData(null, "2.5", OverdueAction.Flag, 30, "Content:OverdueGraceDays is '2.5'; use a whole number of days from 0 to 3650 (default 30).")]
    [InlineData(null, "3651", OverdueAction.Flag, 30, "Content:OverdueGraceDays is '3651'; use a whole number of days from 0 to 3650 (default 30).")]
    public void The_settings_are_read_or_refused_by_name(string? action, string? graceDays, OverdueAction expectedAction, int expectedDays, string? problem)
    {
        var policy = OverduePolicy.Parse(action, graceDays, out var problems);

        Assert.Equal(problem, problems.Values.SingleOrDefault());
        if (problem is null)
        {
            Assert.Equal(new OverduePolicy(expectedAction, expectedDays), policy);
        }
    }

    [Fact]
    public void A_round_flags_every_document_that_fell_due_in_one_snapshot_by_the_overdue_policy()
    {
        var back = Entry("back-pain");
        var neck = Entry("neck-pain");
        var knee = Entry("knee-pain");
        var current = new SnapshotContents(4, FeedOrderedManifest.Of([back, knee, neck]));

        var publication = OverduePolicy.Flag(current, [DueOf(neck), DueOf(back)], Due);

        Assert.NotNull(publication);
        Assert.Equal((5, Actor.OverduePolicy.UserId, "Overdue policy", Due), (publication.Snapshot.Id, publication.Snapshot.PublishedById, publication.Snapshot.PublishedByName, publication.Snapshot.PublishedAt));
        Assert.Equal("Review overdue: \u201cTitle of back-pain\u201d, \u201cTitle of neck-pain\u201d (Only these items changed: each now says its clinical review is overdue.)", publication.Snapshot.Note);
        Assert.Equal([("back-pain", true), ("knee-pain", false), ("neck-pain", true)], publication.Entries.Select(e => (e.Slug, e.ReviewOverdue)));
        Assert.Same(knee, publication.Entries[1]);
        Assert.Equal([(EntryChange.Overdue, "back-pain", 1), (EntryChange.Overdue, "neck-pain", 1)],
            publication.Changes.Select(c => (c.Change, c.Entry.Slug, c.PreviousVersion ?? 0)));
        // Only the flagged rows are written (and the rows they replace closed).
        var (written, closed) = publication.Edit!.Rows();
        Assert.Equal(["back-pain", "neck-pain"], written.Select(e => e.Slug));
        Assert.Equal([back.DocumentId, neck.DocumentId], closed);

        publication.Seal(Snapshot.StrongETag(Encoding.UTF8.GetBytes("{}")));
        var audit = Assert.Single(publication.Snapshot.AuditEvents);
        Assert.Equal(("Overdue policy", AuditActions.SnapshotPublished), (audit.ActorName, audit.Action));
        Assert.Contains("back-pain v1 review overdue, neck-pain v1 review overdue", audit.Details);
    }

    [Theory]
    [InlineData("flagged already")]
    [InlineData("not in the feed")]
    [InlineData("nothing due")]
    [InlineData("nothing published")]
    public void A_round_with_nothing_to_flag_publishes_nothing(string situation)
    {
        var back = Entry("back-pain", overdue: situation == "flagged already");
        var current = situation == "nothing published" ? null : new SnapshotContents(2, FeedOrderedManifest.Of([back]));
        IReadOnlyCollection<OverdueDocument> due = situation switch
        {
            "not in the feed" => [DueOf(Entry("neck-pain"))],
            "nothing due" => [],
            _ => [DueOf(back)],
        };

        Assert.Null(OverduePolicy.Flag(current, due, Due));
    }

    [Theory]
    // before (version, periodic reviews, flagged) → after: the change the publish names (none: the entry stays as it is).
    [InlineData(1, 0, false, 1, 0, true, EntryChange.Overdue)]
    [InlineData(1, 0, true, 1, 0, true, null)]
    [InlineData(1, 0, true, 1, 1, false, EntryChange.Reviewed)]
    [InlineData(1, 0, true, 2, 0, false, EntryChange.Changed)]
    [InlineData(1, 0, true, 2, 0, true, EntryChange.Changed)]
    [InlineData(1, 0, false, 1, 0, false, null)]
    public void The_flag_is_a_change_of_its_own_until_a_review_or_a_new_version_moves_the_date(
        int beforeVersion, int beforeReviews, bool beforeFlagged, int afterVersion, int afterReviews, bool afterFlagged, EntryChange? expected)
    {
        var before = Entry("back-pain", beforeReviews, beforeFlagged, version: beforeVersion);
        var after = Entry("back-pain", afterReviews, afterFlagged, version: afterVersion);

        var changes = ManifestEdit.ChangesOf([new Replacement(before, after)]);
        var whole = SnapshotPlan.For(new SnapshotContents(1, [before]), (IEnumerable<SnapshotEntry>)[after]).Changes;

        Assert.Equal(expected, changes.SingleOrDefault()?.Change);
        Assert.Equal(expected, whole.SingleOrDefault()?.Change);
        Assert.Equal(before.SameAs(after), expected is null && beforeFlagged == afterFlagged);
    }

    [Fact]
    public void The_note_names_as_many_titles_as_fit_and_counts_the_rest()
    {
        var titles = Enumerable.Range(1, 40).Select(i => $"A long article title about back pain number {i:00}").ToList();

        var note = OverduePolicy.NoteFor(titles);

        Assert.True(note.Length <= Snapshot.MaxNoteLength, $"{note.Length} characters");
        Assert.Null(Snapshot.NoteProblem(note));
        Assert.StartsWith("Review overdue: \u201cA long article title about back pain number 01\u201d, ", note);
        Assert.Matches(@", and \d+ more \(Only these items changed", note);
    }

    [Fact]
    public void Withdraw_sets_a_withdrawal_by_the_policy_after_the_grace_and_runs_it_as_a_publish_of_the_current_snapshot_minus_it()
    {
        var withdrawn = Docs.Approved();
        var kept = Docs.Approved("neck-pain");
        var setup = Snapshot.Publish(SnapshotPlan.For(null, [withdrawn, kept]), People.Publisher(), Clock.At(5), "First");
        Tamper.Set(withdrawn, nameof(Document.PublishedVersionId), withdrawn.Latest.Id);
        var reviewDue = withdrawn.Latest.ReviewDue!.Value;
        var policy = new OverduePolicy(OverdueAction.Withdraw, 30);
        // A publisher's withdrawal for later is superseded: the document leaves now.
        var later = Withdrawal.Set(withdrawn, null, People.Publisher(), Clock.At(10), reviewDue.AddDays(90), "Superseded");

        Assert.Equal("\u201cLower back pain\u201d is not due to be withdrawn by the overdue policy.",
            Assert.Throws<RefusedException>(() => Withdrawal.ForOverdue(withdrawn, later, policy, reviewDue, reviewDue.AddDays(29))).Message);
        Assert.Throws<RefusedException>(() => Withdrawal.ForOverdue(withdrawn, later, new OverduePolicy(), reviewDue, reviewDue.AddDays(365)));
        var at = reviewDue.AddDays(31);
        var withdrawal = Withdrawal.ForOverdue(withdrawn, later, policy, reviewDue, at);

        Assert.Equal((WithdrawalStatus.Cancelled, "Superseded: the overdue policy withdrew \u201cLower back pain\u201d first."), (later.Status, later.Outcome));
        Assert.Equal(("Overdue policy", AuditActions.WithdrawalCancelled), (later.AuditEvents[^1].ActorName, later.AuditEvents[^1].Action));
        Assert.Equal((WithdrawalStatus.Pending, "review overdue", reviewDue.AddDays(30), "Overdue policy"), (withdrawal.Status, withdrawal.Reason, withdrawal.DueAt, withdrawal.SetByName));
        var set = Assert.Single(withdrawal.AuditEvents);
        Assert.Equal((AuditActions.WithdrawalSet, Actor.OverduePolicy.UserId), (set.Action, set.ActorId));

        var publication = withdrawal.Run(withdrawn, setup.Contents, at);

        Assert.NotNull(publication);
        Assert.Equal([kept.Id], publication.Entries.Select(e => e.DocumentId));
        Assert.Equal((EntryChange.Removed, "Overdue policy"), (Assert.Single(publication.Changes).Change, publication.Snapshot.PublishedByName));
        Assert.StartsWith("Withdrawn on schedule: \u201cLower back pain\u201d. review overdue", publication.Snapshot.Note);
        Assert.True(withdrawn.IsRetired);
        Assert.Equal("Overdue policy", withdrawn.RetiredByName);
    }

    [Theory]
    [InlineData("retired")]
    [InlineData("unpublished")]
    public void Withdraw_is_refused_for_a_document_out_of_the_feed(string situation)
    {
        var document = Docs.Approved();
        Tamper.Set(document, nameof(Document.PublishedVersionId), situation == "unpublished" ? null : document.Latest.Id);
        if (situation == "retired")
        {
            document.Retire(People.Publisher(), Clock.At(5));
        }

        var reviewDue = document.Latest.ReviewDue!.Value;

        Assert.Equal("\u201cLower back pain\u201d is not in the feed, so the overdue policy has nothing to withdraw.",
            Assert.Throws<RefusedException>(() => Withdrawal.ForOverdue(document, null, new OverduePolicy(OverdueAction.Withdraw, 0), reviewDue, reviewDue)).Message);
    }

    [Fact]
    public void The_policy_publishes_but_never_signs()
    {
        Assert.Equal(["Publisher"], Actor.OverduePolicy.Roles);
        Assert.StartsWith("system:", Actor.OverduePolicy.UserId);
    }
}

internal static class Ids
{
    // Stable ids from names, so table rows read as words.
    public static Guid Of(string name) => new(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(name))[..16]);
}
