using System.Text;

namespace ContentPortal.Domain.Tests;

public class SnapshotTests
{
    private static readonly Actor Publisher = People.Publisher();

    private static Publication PublishAndSeal(SnapshotPlan plan, int minute, string feed)
    {
        var publication = Snapshot.Publish(plan, Publisher, Clock.At(minute), "Note");
        publication.Seal(Snapshot.StrongETag(Encoding.UTF8.GetBytes(feed)));
        return publication;
    }

    [Fact]
    public void First_plan_adds_every_approved_document_and_leaves_out_the_rest()
    {
        var article = Docs.Approved("lower-back-pain");
        var flags = Document.Import(DocumentKind.RedFlagList, "back-pain-red-flags", Contents.RedFlags(Contents.Flag()), Actor.SeedImport, Clock.At(0), "seed/flags.yaml");
        var draftOnly = Docs.NewArticle("neck-pain");
        var inReviewOnly = Docs.InReview("knee-pain");
        var sentBackOnly = Docs.ChangesRequested("hip-pain");

        var plan = SnapshotPlan.For(null, [draftOnly, flags, inReviewOnly, article, sentBackOnly]);

        Assert.Equal(1, plan.NextId);
        Assert.True(plan.HasChanges);
        // Ordered by kind, then slug.
        Assert.Equal(["lower-back-pain", "back-pain-red-flags"], plan.Entries.Select(e => e.Slug));
        Assert.All(plan.Changes, c => Assert.Equal(EntryChange.Added, c.Change));
        Assert.All(plan.Changes, c => Assert.Null(c.PreviousVersion));
        Assert.Equal([article.Id, flags.Id], plan.Changes.Select(c => c.Entry.DocumentId));
        var entry = plan.Entries[0];
        Assert.Equal(article.Latest.Id, entry.VersionId);
        Assert.Equal(1, entry.VersionNumber);
        Assert.Equal(DocumentKind.Article, entry.Kind);
        Assert.Equal("Lower back pain", entry.Title);
    }

    [Theory]
    [InlineData("same", null)]
    [InlineData("reordered", null)]
    [InlineData("one more approved", "changed after this page was shown")]
    [InlineData("one fewer", "changed after this page was shown")]
    [InlineData("empty", "did not say which changes you were shown")]
    [InlineData("missing", "did not say which changes you were shown")]
    public void A_plan_is_published_only_as_it_was_shown(string shownAs, string? refusal)
    {
        var a = Docs.Approved("a-doc");
        var b = Docs.Approved("b-doc");
        var c = Docs.Approved("c-doc");
        var plan = SnapshotPlan.For(null, [a, b]);
        var shown = shownAs switch
        {
            "same" => SnapshotPlan.For(null, [a, b]).Fingerprint,
            "reordered" => SnapshotPlan.FingerprintOf(plan.Changes.Reverse()),
            "one more approved" => SnapshotPlan.For(null, [a, b, c]).Fingerprint,
            "one fewer" => SnapshotPlan.For(null, [a]).Fingerprint,
            "empty" => "",
            _ => null,
        };

        if (refusal is null)
        {
            Assert.Null(Record.Exception(() => plan.RefuseUnlessShown(shown)));
        }
        else
        {
            Assert.Contains(refusal, Assert.Throws<RefusedException>(() => plan.RefuseUnlessShown(shown)).Message);
        }
    }

    [Fact]
    public void Entries_are_ordered_by_kind_then_slug_ordinally()
    {
        var docs = new[] { "b-doc", "a-doc", "a1" }.Select(s => Docs.Approved(s)).ToList();

        var plan = SnapshotPlan.For(null, docs);

        Assert.Equal(["a-doc", "a1", "b-doc"], plan.Entries.Select(e => e.Slug));
    }

    [Fact]
    public void Nothing_approved_plans_nothing_and_publish_says_so()
    {
        var plan = SnapshotPlan.For(null, [Docs.NewArticle()]);

        Assert.Equal(1, plan.NextId);
        Assert.Empty(plan.Entries);
        Assert.False(plan.HasChanges);
        var refused = Assert.Throws<RefusedException>(() => Snapshot.Publish(plan, Publisher, Clock.At(5), "Note"));
        Assert.Equal("Nothing has been approved yet, so there is nothing to publish.", refused.Message);
    }

    [Fact]
    public void Publish_gives_the_next_id_and_the_plans_entries_in_feed_order_beside_the_header()
    {
        var document = Docs.Approved();
        var plan = SnapshotPlan.For(null, [document]);

        var publication = Snapshot.Publish(plan, Publisher, Clock.At(5), "  First release  ");
        var snapshot = publication.Snapshot;

        Assert.Equal(1, snapshot.Id);
        Assert.Equal(Clock.At(5), snapshot.PublishedAt);
        Assert.Equal(Publisher.UserId, snapshot.PublishedById);
        Assert.Equal(Publisher.DisplayName, snapshot.PublishedByName);
        Assert.Equal("First release", snapshot.Note);
        Assert.Equal(plan.Entries, publication.Entries);
        Assert.Equal(plan.Changes, publication.Changes);
        // The header is what the store reads back: its size, not a manifest only a publish would hold.
        Assert.Equal(1, snapshot.DocumentCount);
        Assert.Empty(snapshot.Entries);
        Assert.Equal("", snapshot.ETag);
    }

    [Fact]
    public void Publish_requires_the_publisher_role()
    {
        var plan = SnapshotPlan.For(null, [Docs.Approved()]);

        var refused = Assert.Throws<RefusedException>(() => Snapshot.Publish(plan, People.Reviewer(), Clock.At(5), "Note"));

        Assert.Equal("Only a publisher can publish.", refused.Message);
        var byAdmin = Snapshot.Publish(plan, People.Admin(), Clock.At(5), "Note");
        Assert.Equal(1, byAdmin.Snapshot.Id);
    }

    [Fact]
    public void A_newly_approved_version_is_a_change_with_its_previous_version()
    {
        var document = Docs.Approved();
        var other = Docs.Approved("neck-pain");
        var current = PublishAndSeal(SnapshotPlan.For(null, [document, other]), 5, "{\"snapshot\":1}");
        var v2 = Docs.ApproveNewVersion(document, "Lower back pain in adults", 10);

        var plan = SnapshotPlan.For(current, [document, other]);

        Assert.Equal(2, plan.NextId);
        var change = Assert.Single(plan.Changes);
        Assert.Equal(EntryChange.Changed, change.Change);
        Assert.Equal(1, change.PreviousVersion);
        Assert.Equal(v2.Id, change.Entry.VersionId);
        Assert.Equal(2, change.Entry.VersionNumber);
        Assert.Equal("Lower back pain in adults", change.Entry.Title);
        Assert.Equal(2, plan.Entries.Count);

        var next = Snapshot.Publish(plan, Publisher, Clock.At(20), "Note");
        Assert.Equal(current.Snapshot.Id + 1, next.Snapshot.Id);
        Assert.Contains(next.Entries, e => e.VersionId == v2.Id);
    }

    [Fact]
    public void A_document_that_is_gone_is_a_removal()
    {
        var kept = Docs.Approved("lower-back-pain");
        var gone = Docs.Approved("neck-pain");
        var current = PublishAndSeal(SnapshotPlan.For(null, [kept, gone]), 5, "{}");

        var plan = SnapshotPlan.For(current, [kept]);

        var change = Assert.Single(plan.Changes);
        Assert.Equal(EntryChange.Removed, change.Change);
        Assert.Equal(gone.Id, change.Entry.DocumentId);
        Assert.Equal(1, change.PreviousVersion);
        Assert.Equal([kept.Id], plan.Entries.Select(e => e.DocumentId));
    }

    [Fact]
    public void A_new_document_after_a_snapshot_is_added()
    {
        var first = Docs.Approved("lower-back-pain");
        var current = PublishAndSeal(SnapshotPlan.For(null, [first]), 5, "{}");
        var second = Docs.Approved("neck-pain");

        var plan = SnapshotPlan.For(current, [first, second]);

        var change = Assert.Single(plan.Changes);
        Assert.Equal(EntryChange.Added, change.Change);
        Assert.Equal(second.Id, change.Entry.DocumentId);
        Assert.Null(change.PreviousVersion);
    }

    [Fact]
    public void Nothing_new_means_no_changes_and_publish_names_the_current_snapshot()
    {
        var document = Docs.Approved();
        var current = PublishAndSeal(SnapshotPlan.For(null, [document]), 5, "{}");

        var plan = SnapshotPlan.For(current, [document]);

        Assert.False(plan.HasChanges);
        Assert.Empty(plan.Changes);
        Assert.Single(plan.Entries);
        Assert.Equal(2, plan.NextId);
        var refused = Assert.Throws<RefusedException>(() => Snapshot.Publish(plan, Publisher, Clock.At(10), "Note"));
        Assert.Equal("Nothing new has been approved since snapshot 1, so there is nothing to publish.", refused.Message);
    }

    [Theory]
    [InlineData(VersionStatus.Draft)]
    [InlineData(VersionStatus.InReview)]
    [InlineData(VersionStatus.ChangesRequested)]
    public void An_unapproved_newer_version_does_not_enter_the_plan(VersionStatus v2Status)
    {
        var document = Docs.Approved();
        var v1 = document.Latest;
        var current = PublishAndSeal(SnapshotPlan.For(null, [document]), 5, "{}");
        var v2 = document.OpenDraft(Docs.Author, Clock.At(10), out _);
        document.Edit(v2, Contents.Article(title: "Not approved yet"), "Retitled", v2.Revision, Docs.Author, Clock.At(11));
        if (v2Status != VersionStatus.Draft)
        {
            document.Submit(v2, null, Docs.Author, Clock.At(12));
        }

        if (v2Status == VersionStatus.ChangesRequested)
        {
            document.RequestChanges(v2, v2.Revision, Docs.SecondReviewer, Clock.At(13), "No.");
        }

        Assert.Equal(v2Status, v2.Status);

        var plan = SnapshotPlan.For(current, [document]);

        Assert.False(plan.HasChanges);
        var entry = Assert.Single(plan.Entries);
        Assert.Equal(v1.Id, entry.VersionId);
        Assert.Equal("Lower back pain", entry.Title);
    }

    [Fact]
    public void The_latest_approved_version_enters_even_when_a_newer_draft_is_open()
    {
        var document = Docs.Approved();
        var v2 = Docs.ApproveNewVersion(document, "Second title", 10);
        var v3 = document.OpenDraft(Docs.Author, Clock.At(20), out _);

        var plan = SnapshotPlan.For(null, [document]);

        var entry = Assert.Single(plan.Entries);
        Assert.Equal(v2.Id, entry.VersionId);
        Assert.NotEqual(v3.Id, entry.VersionId);
        Assert.Equal(2, entry.VersionNumber);
    }

    [Fact]
    public void Seal_fixes_a_quoted_strong_etag()
    {
        var publication = Snapshot.Publish(SnapshotPlan.For(null, [Docs.Approved()]), Publisher, Clock.At(5), "Note");
        var snapshot = publication.Snapshot;
        var etag = Snapshot.StrongETag(Encoding.UTF8.GetBytes("{\"snapshot\":1}"));

        publication.Seal(etag);

        Assert.Equal(etag, snapshot.ETag);
        Assert.Matches("^\"[0-9a-f]{32}\"$", snapshot.ETag);
    }

    [Fact]
    public void Seal_twice_is_refused_and_keeps_the_first_etag()
    {
        var publication = PublishAndSeal(SnapshotPlan.For(null, [Docs.Approved()]), 5, "{\"a\":1}");
        var etag = publication.Snapshot.ETag;

        var refused = Assert.Throws<RefusedException>(() => publication.Seal(Snapshot.StrongETag(Encoding.UTF8.GetBytes("{\"a\":2}"))));

        Assert.Equal("Snapshot 1 is already sealed; published snapshots never change.", refused.Message);
        Assert.Equal(etag, publication.Snapshot.ETag);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("\"0123456789ABCDEF0123456789abcdef\"")]
    [InlineData("\"0123456789abcdef0123456789abcde\"")]
    [InlineData("W/\"0123456789abcdef0123456789abcdef\"")]
    [InlineData("\"0123456789abcdef0123456789abcdeg\"")]
    public void Seal_refuses_anything_but_a_quoted_strong_etag_and_still_seals_only_once(string bad)
    {
        var publication = Snapshot.Publish(SnapshotPlan.For(null, [Docs.Approved()]), Publisher, Clock.At(5), "Note");
        var snapshot = publication.Snapshot;

        Assert.Throws<ArgumentException>(() => publication.Seal(bad));
        Assert.Equal("", snapshot.ETag);
        Assert.Empty(snapshot.AuditEvents);

        var good = Snapshot.StrongETag(Encoding.UTF8.GetBytes("{}"));
        publication.Seal(good);
        Assert.Throws<RefusedException>(() => publication.Seal(Snapshot.StrongETag(Encoding.UTF8.GetBytes("{\"a\":1}"))));
        Assert.Equal(good, snapshot.ETag);
    }

    [Fact]
    public void The_etag_formula_depends_only_on_the_bytes()
    {
        var plan = SnapshotPlan.For(null, [Docs.Approved()]);
        var a = PublishAndSeal(plan, 5, "{\"a\":1}").Snapshot;
        var sameBytes = PublishAndSeal(plan, 6, "{\"a\":1}").Snapshot;
        var otherBytes = PublishAndSeal(plan, 7, "{\"a\":2}").Snapshot;

        Assert.Equal(a.ETag, sameBytes.ETag);
        Assert.NotEqual(a.ETag, otherBytes.ETag);
        Assert.StartsWith("\"", otherBytes.ETag);
        Assert.EndsWith("\"", otherBytes.ETag);
    }
}
