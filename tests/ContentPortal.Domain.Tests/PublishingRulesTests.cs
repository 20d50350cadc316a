using System.Text;

namespace ContentPortal.Domain.Tests;

/// <summary>Retire / un-retire, roll back (republish), the required note, scheduled publishes, webhook retries.</summary>
public class PublishingRulesTests
{
    private static readonly Actor Publisher = People.Publisher();

    private static Publication Publish(SnapshotPlan plan, int minute)
    {
        var publication = Snapshot.Publish(plan, Publisher, Clock.At(minute), "Note");
        publication.Seal(Snapshot.StrongETag(Encoding.UTF8.GetBytes("{}")));
        return publication;
    }

    [Theory]
    [InlineData("Publisher", true)]
    [InlineData("AdminAllRoles", true)]
    [InlineData("Editor", false)]
    [InlineData("Reviewer", false)]
    [InlineData("AdminRoleOnly", false)]
    [InlineData("NoRole", false)]
    public void Only_publishers_retire_and_unretire(string role, bool allowed)
    {
        var document = Docs.Approved();
        var actor = People.ForRole(role);

        if (!allowed)
        {
            Assert.Equal("Only a publisher can retire a document.", Assert.Throws<RefusedException>(() => document.Retire(actor, Clock.At(5))).Message);
            Assert.False(document.IsRetired);
            document.Retire(Publisher, Clock.At(5));
            Assert.Equal("Only a publisher can un-retire a document.", Assert.Throws<RefusedException>(() => document.Unretire(actor, Clock.At(0))).Message);
            Assert.True(document.IsRetired);
            return;
        }

        document.Retire(actor, Clock.At(5));
        Assert.True(document.IsRetired);
        Assert.Equal(Clock.At(5), document.RetiredAt);
        Assert.Equal(actor.DisplayName, document.RetiredByName);
        document.Unretire(actor, Clock.At(0));
        Assert.False(document.IsRetired);
        Assert.Null(document.RetiredByName);
    }

    [Fact]
    public void Retiring_twice_or_unretiring_a_live_document_is_refused()
    {
        var document = Docs.Approved();

        Assert.Equal("\u201cLower back pain\u201d is not retired.", Assert.Throws<RefusedException>(() => document.Unretire(Publisher, Clock.At(0))).Message);
        document.Retire(Publisher, Clock.At(5));
        Assert.Equal("\u201cLower back pain\u201d is already retired.", Assert.Throws<RefusedException>(() => document.Retire(Publisher, Clock.At(6))).Message);
        Assert.Equal(Clock.At(5), document.RetiredAt);
    }

    [Fact]
    public void A_retired_document_leaves_the_next_snapshot_and_keeps_its_history()
    {
        var kept = Docs.Approved("neck-pain");
        var retired = Docs.Approved();
        var current = Publish(SnapshotPlan.For(null, [kept, retired]), 5);

        retired.Retire(Publisher, Clock.At(6));
        var plan = SnapshotPlan.For(current, [kept, retired]);

        var change = Assert.Single(plan.Changes);
        Assert.Equal(EntryChange.Removed, change.Change);
        Assert.Equal(retired.Id, change.Entry.DocumentId);
        Assert.Equal([kept.Id], plan.Entries.Select(e => e.DocumentId));
        Assert.Single(retired.Versions);
        Assert.Equal(VersionStatus.Approved, retired.Latest.Status);

        // Un-retired, it comes back with its latest approved version.
        var next = Publish(plan, 7);
        retired.Unretire(Publisher, Clock.At(0));
        var back = Assert.Single(SnapshotPlan.For(next, [kept, retired]).Changes);
        Assert.Equal((EntryChange.Added, retired.Latest.Id), (back.Change, back.Entry.VersionId));
    }

    [Fact]
    public void Republish_brings_back_an_earlier_snapshot_under_a_new_id()
    {
        var document = Docs.Approved();
        var first = Publish(SnapshotPlan.For(null, [document]), 5);
        var v2 = Docs.ApproveNewVersion(document, "Second title", 10);
        var added = Docs.Approved("neck-pain");
        var second = Publish(SnapshotPlan.For(first, [document, added]), 20);

        var plan = SnapshotPlan.Republish(second.Contents, first.Contents, new HashSet<Guid>());

        Assert.Equal(3, plan.NextId);
        Assert.Equal(1, plan.RepublishOf);
        Assert.Equal([document.Versions[0].Id], plan.Entries.Select(e => e.VersionId));
        Assert.Equal(
            [(EntryChange.Changed, document.Id, 2), (EntryChange.Removed, added.Id, 1)],
            plan.Changes.Select(c => (c.Change, c.Entry.DocumentId, c.PreviousVersion ?? 0)));
        var third = Snapshot.Publish(plan, Publisher, Clock.At(30), "Roll back to snapshot 1");
        Assert.Equal(3, third.Snapshot.Id);
        Assert.Equal(1, third.Snapshot.RepublishedFromId);
        Assert.NotSame(first.Entries[0], third.Entries[0]);
        Assert.NotEqual(v2.Id, third.Entries[0].VersionId);
    }

    [Fact]
    public void Republish_leaves_out_documents_retired_since()
    {
        var document = Docs.Approved();
        var other = Docs.Approved("neck-pain");
        var first = Publish(SnapshotPlan.For(null, [document, other]), 5);
        Docs.ApproveNewVersion(document, "Second title", 10);
        var second = Publish(SnapshotPlan.For(first, [document, other]), 20);

        var plan = SnapshotPlan.Republish(second.Contents, first.Contents, new HashSet<Guid> { other.Id });

        Assert.Equal([document.Id], plan.Entries.Select(e => e.DocumentId));
        Assert.Contains(plan.Changes, c => c.Change == EntryChange.Removed && c.Entry.DocumentId == other.Id);
    }

    [Fact]
    public void Republishing_the_current_snapshot_or_the_same_content_is_refused()
    {
        var document = Docs.Approved();
        var first = Publish(SnapshotPlan.For(null, [document]), 5);
        var other = Docs.Approved("neck-pain");
        var second = Publish(SnapshotPlan.For(first, [document, other]), 10);
        other.Retire(Publisher, Clock.At(11));
        var third = Publish(SnapshotPlan.For(second, [document, other]), 12);

        Assert.Equal("Snapshot 3 is the current snapshot; republish an earlier one.",
            Assert.Throws<RefusedException>(() => SnapshotPlan.Republish(third.Contents, third.Contents, new HashSet<Guid>())).Message);
        var same = SnapshotPlan.Republish(third.Contents, first.Contents, new HashSet<Guid>());
        Assert.False(same.HasChanges);
        Assert.Equal("Snapshot 1 holds the same content as the current snapshot 3, so there is nothing to republish.",
            Assert.Throws<RefusedException>(() => Snapshot.Publish(same, Publisher, Clock.At(20), "Roll back")).Message);
    }

    [Theory]
    [InlineData(null, "Write a note saying what changed; consumers of the feed read it.")]
    [InlineData("", "Write a note saying what changed; consumers of the feed read it.")]
    [InlineData("   \n ", "Write a note saying what changed; consumers of the feed read it.")]
    [InlineData("LONG", "Keep the note under 500 characters.")]
    [InlineData("Fixed typo", null)]
    public void The_publish_note_is_required(string? note, string? problem)
    {
        note = note == "LONG" ? new string('x', 501) : note;
        var plan = SnapshotPlan.For(null, [Docs.Approved()]);

        if (problem is null)
        {
            Assert.Equal("Fixed typo", Snapshot.Publish(plan, Publisher, Clock.At(5), " Fixed typo ").Snapshot.Note);
            return;
        }

        var invalid = Assert.Throws<InvalidContentException>(() => Snapshot.Publish(plan, Publisher, Clock.At(5), note));
        Assert.Equal(problem, invalid.Errors["Note"]);
    }

    [Theory]
    [InlineData(-5, "Note", "PublishAt", "Pick a time in the future.")]
    [InlineData(0, "Note", "PublishAt", "Pick a time in the future.")]
    [InlineData(60, "", "Note", "Write a note saying what changed; consumers of the feed read it.")]
    public void A_schedule_needs_a_future_time_and_a_note(int minutesAhead, string note, string field, string message)
    {
        var plan = SnapshotPlan.For(null, [Docs.Approved()]);

        var invalid = Assert.Throws<InvalidContentException>(() => ScheduledPublish.Create(plan, Publisher, Clock.At(10), Clock.At(10 + minutesAhead), note));

        Assert.Equal(message, invalid.Errors[field]);
    }

    [Fact]
    public void A_schedule_needs_something_to_publish_and_a_publisher()
    {
        var document = Docs.Approved();
        var current = Publish(SnapshotPlan.For(null, [document]), 5);
        var plan = SnapshotPlan.For(current, [document]);

        Assert.Equal("Nothing new has been approved since the current snapshot, so there is nothing to schedule.",
            Assert.Throws<RefusedException>(() => ScheduledPublish.Create(plan, Publisher, Clock.At(10), Clock.At(60), "Later")).Message);
        Assert.Equal("Only a publisher can schedule a publish.",
            Assert.Throws<RefusedException>(() => ScheduledPublish.Create(SnapshotPlan.For(null, [document]), People.Editor(), Clock.At(10), Clock.At(60), "Later")).Message);
    }

    [Theory]
    [InlineData(59, false)]
    [InlineData(60, true)]
    [InlineData(600, true)]
    public void A_schedule_is_due_at_or_after_its_time(int minute, bool due)
    {
        var schedule = ScheduledPublish.Create(SnapshotPlan.For(null, [Docs.Approved()]), Publisher, Clock.At(10), Clock.At(60), "Later");

        Assert.Equal(due, schedule.IsDue(Clock.At(minute)));
    }

    [Fact]
    public void A_due_schedule_publishes_what_was_scheduled_once()
    {
        var document = Docs.Approved();
        var schedule = ScheduledPublish.Create(SnapshotPlan.For(null, [document]), Publisher, Clock.At(10), Clock.At(60), " Morning release ");

        var snapshot = schedule.Run(SnapshotPlan.For(null, [document]), Clock.At(61))?.Snapshot;

        Assert.NotNull(snapshot);
        Assert.Equal((1, "Morning release", Publisher.DisplayName, Clock.At(61)), (snapshot.Id, snapshot.Note, snapshot.PublishedByName, snapshot.PublishedAt));
        Assert.Equal((ScheduleStatus.Published, 1, "Published as snapshot 1."), (schedule.Status, schedule.SnapshotId, schedule.Outcome));
        Assert.False(schedule.IsDue(Clock.At(62)));
        Assert.Equal("This scheduled publish already ran (snapshot 1).",
            Assert.Throws<RefusedException>(() => schedule.Run(SnapshotPlan.For(null, [document]), Clock.At(62))).Message);
    }

    public static TheoryData<string, string> ChangedSinceScheduling => new()
    {
        { "retired", "Not published: \u201cLower back pain\u201d version 1 is no longer approved for publishing (retired or its approval withdrawn)." },
        { "newer", "Not published: \u201cLower back pain\u201d changed after scheduling: version 2 would be published instead of version 1." },
        { "added", "Not published: \u201cNeck pain\u201d version 1 was approved or un-retired after scheduling." },
        { "published", "Not published: Snapshot 1 already holds exactly this content." },
    };

    [Theory]
    [MemberData(nameof(ChangedSinceScheduling))]
    public void A_schedule_whose_content_changed_is_not_published_and_says_why(string change, string outcome)
    {
        var document = Docs.Approved();
        var documents = new List<Document> { document };
        var schedule = ScheduledPublish.Create(SnapshotPlan.For(null, documents), Publisher, Clock.At(10), Clock.At(60), "Later");
        Publication? current = null;
        switch (change)
        {
            case "retired":
                document.Retire(Publisher, Clock.At(20));
                break;
            case "newer":
                Docs.ApproveNewVersion(document, "Lower back pain", 20);
                break;
            case "added":
                var neck = Docs.NewArticle("neck-pain", Contents.Article(title: "Neck pain"));
                neck.Submit(neck.Latest, "First", Docs.Author, Clock.At(21));
                neck.Approve(neck.Latest, Docs.SecondReviewer, Clock.At(22), null);
                documents.Add(neck);
                break;
            case "published":
                current = Publish(SnapshotPlan.For(null, documents), 30);
                break;
        }

        var snapshot = schedule.Run(SnapshotPlan.For(current, documents), Clock.At(60));

        Assert.Null(snapshot);
        Assert.Equal(ScheduleStatus.NotPublished, schedule.Status);
        Assert.Equal(outcome, schedule.Outcome);
        Assert.Null(schedule.SnapshotId);
        Assert.False(schedule.IsDue(Clock.At(61)));
    }

    [Fact]
    public void A_schedule_is_cancelled_only_while_pending_and_never_runs_early()
    {
        var document = Docs.Approved();
        var schedule = ScheduledPublish.Create(SnapshotPlan.For(null, [document]), Publisher, Clock.At(10), Clock.At(60), "Later");

        Assert.Equal($"This publish is scheduled for {Clock.At(60):u}; it is not due yet.",
            Assert.Throws<RefusedException>(() => schedule.Run(SnapshotPlan.For(null, [document]), Clock.At(59))).Message);
        schedule.Cancel(Publisher, Clock.At(30));

        Assert.Equal((ScheduleStatus.Cancelled, "Cancelled by Paul Publisher."), (schedule.Status, schedule.Outcome));
        Assert.False(schedule.IsDue(Clock.At(61)));
        Assert.Equal("This scheduled publish was cancelled.", Assert.Throws<RefusedException>(() => schedule.Cancel(Publisher, Clock.At(31))).Message);
    }

    [Theory]
    [InlineData("https://hooks.example.org/cp", "0123456789abcdef", null, null)]
    [InlineData("http://127.0.0.1:9000/hook", "0123456789abcdef", null, null)]
    [InlineData("ftp://example.org/x", "0123456789abcdef", "Url", null)]
    [InlineData("/relative", "0123456789abcdef", "Url", null)]
    [InlineData("", "0123456789abcdef", "Url", null)]
    [InlineData("https://hooks.example.org/cp", "short", null, "Secret")]
    [InlineData("nope", null, "Url", "Secret")]
    public void Webhook_subscriptions_need_an_absolute_http_url_and_a_long_secret(string url, string? secret, string? urlError, string? secretError)
    {
        if (urlError is null && secretError is null)
        {
            var subscription = WebhookSubscription.Create(url, secret, People.Admin(), Clock.At(0));
            Assert.True(subscription.Active);
            Assert.Equal(new Uri(url).ToString(), subscription.Url);
            return;
        }

        var invalid = Assert.Throws<InvalidContentException>(() => WebhookSubscription.Create(url, secret, People.Admin(), Clock.At(0)));
        Assert.Equal(urlError is not null, invalid.Errors.ContainsKey("Url"));
        Assert.Equal(secretError is not null, invalid.Errors.ContainsKey("Secret"));
    }

    [Fact]
    public void Only_admins_manage_webhooks_and_pausing_twice_is_refused()
    {
        Assert.Equal("Only an admin can manage webhooks.",
            Assert.Throws<RefusedException>(() => WebhookSubscription.Create("https://x.example/", "0123456789abcdef", Publisher, Clock.At(0))).Message);
        var subscription = WebhookSubscription.Create("https://x.example/", "0123456789abcdef", People.Admin(), Clock.At(0));
        subscription.SetActive(false, People.Admin(), Clock.At(0));
        Assert.False(subscription.Active);
        Assert.Equal("This subscription is already paused.", Assert.Throws<RefusedException>(() => subscription.SetActive(false, People.Admin(), Clock.At(0))).Message);
    }

    [Theory]
    [InlineData(1, 0, 0, 10)]
    [InlineData(2, 0, 0, 30)]
    [InlineData(3, 0, 1, 0)]
    [InlineData(4, 0, 5, 0)]
    [InlineData(7, 1, 0, 0)]
    [InlineData(20, 1, 0, 0)]
    public void Webhook_retries_back_off(int failedAttempts, int hours, int minutes, int seconds)
    {
        Assert.Equal(new TimeSpan(hours, minutes, seconds), WebhookRetry.Delay(failedAttempts));
        Assert.Equal(Clock.At(5) + new TimeSpan(hours, minutes, seconds), WebhookRetry.NextAttempt(Clock.At(0), failedAttempts, Clock.At(5)));
    }

    [Theory]
    [InlineData(22 * 60, true)]
    [InlineData(23 * 60, true)]
    [InlineData(23 * 60 + 1, false)]
    [InlineData(24 * 60, false)]
    public void Webhook_retries_give_up_after_24_hours(int lastAttemptMinute, bool retried)
    {
        var next = WebhookRetry.NextAttempt(Clock.At(0), 10, Clock.At(lastAttemptMinute));

        Assert.Equal(retried, next is not null);
    }
}
