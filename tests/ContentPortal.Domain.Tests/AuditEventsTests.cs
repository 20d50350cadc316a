namespace ContentPortal.Domain.Tests;

/// <summary>
/// Every domain action that changes state records its own audit line (the store chains it in the same
/// save); refusals record nothing, so the trail never claims what did not happen.
/// </summary>
public class AuditEventsTests
{
    public static TheoryData<string, string[]> Actions => new()
    {
        { "open draft", [AuditActions.VersionDraftOpened] },
        { "save", [AuditActions.VersionSaved] },
        { "submit", [AuditActions.VersionSubmitted] },
        { "claim", [AuditActions.VersionClaimed] },
        { "release", [AuditActions.VersionReleased] },
        { "sign", [AuditActions.VersionSigned, AuditActions.VersionApproved] },
        { "request changes", [AuditActions.VersionChangesRequested] },
        { "restore", [AuditActions.VersionRestored] },
        { "change slug", [AuditActions.DocumentSlugChanged] },
        { "review period", [AuditActions.DocumentReviewPeriodChanged] },
        { "retire", [AuditActions.DocumentRetired] },
        { "un-retire", [AuditActions.DocumentUnretired] },
    };

    [Theory]
    [MemberData(nameof(Actions))]
    public void Each_action_records_what_happened(string action, string[] expected)
    {
        var (document, version) = Arrange(action);
        var before = Recorded(document).Select(r => r.Order).DefaultIfEmpty().Max();

        Act(action, document, version);

        var recorded = Recorded(document).Where(r => r.Order > before).OrderBy(r => r.Order).ToList();
        Assert.Equal(expected, recorded.Select(r => r.Action));
        Assert.All(recorded, r => Assert.False(string.IsNullOrWhiteSpace(r.Details)));
        Assert.All(recorded, r => Assert.Matches("^(document|version):", r.Subject));
    }

    [Fact]
    public void A_refused_action_records_nothing()
    {
        var document = Docs.InState(VersionStatus.Draft);
        var version = document.Latest;
        var before = Recorded(document).Count;

        Assert.Throws<RefusedException>(() => document.ClaimForReview(version, People.Reviewer(), Clock.At(5), Clock.ClaimLifetime));
        Assert.ThrowsAny<RefusedException>(() => document.Submit(version, null, People.Reviewer(), Clock.At(5)));

        Assert.Equal(before, Recorded(document).Count);
    }

    [Fact]
    public void Publishing_a_snapshot_records_its_entries_and_validator_once_sealed()
    {
        var document = Docs.InState(VersionStatus.Approved);
        var publication = Snapshot.Publish(SnapshotPlan.For(null, [document]), People.Publisher(), Clock.At(9), "First release");
        var snapshot = publication.Snapshot;
        Assert.Empty(snapshot.AuditEvents);

        publication.Seal(Snapshot.StrongETag([1, 2, 3]));

        var published = Assert.Single(snapshot.AuditEvents);
        Assert.Equal((AuditActions.SnapshotPublished, "snapshot:1"), (published.Action, published.Subject));
        Assert.Equal($"Published snapshot 1: 1 documents, 1 changed (added {document.Slug} v1) ETag {snapshot.ETag}: First release", published.Details);
    }

    [Fact]
    public void A_publish_audit_line_counts_the_documents_and_names_only_what_changed_up_to_a_limit()
    {
        var documents = Enumerable.Range(0, Snapshot.AuditedChanges + 5).Select(_ => Docs.InState(VersionStatus.Approved)).ToList();
        var publication = Snapshot.Publish(SnapshotPlan.For(null, documents), People.Publisher(), Clock.At(9), "Big release");

        publication.Seal(Snapshot.StrongETag([1, 2, 3]));

        var details = Assert.Single(publication.Snapshot.AuditEvents).Details;
        Assert.StartsWith($"Published snapshot 1: {documents.Count} documents, {documents.Count} changed (added ", details);
        Assert.Contains(", and 5 more) ETag ", details);
        Assert.Equal(Snapshot.AuditedChanges, System.Text.RegularExpressions.Regex.Matches(details, "added ").Count);
    }

    [Fact]
    public void Records_keep_the_order_they_happened_in_across_aggregates()
    {
        var document = Docs.InState(VersionStatus.Draft);
        var version = document.Latest;
        document.Submit(version, "Ready", Docs.Author, Clock.At(1));
        var thread = ReviewThread.Start(version, null, null, "Looks fine", People.Reviewer(), Clock.At(2));
        document.ClaimForReview(version, People.Reviewer(), Clock.At(3), Clock.ClaimLifetime);

        var all = new[] { document.AuditEvents, version.AuditEvents, thread.AuditEvents }.SelectMany(e => e).OrderBy(r => r.Order).Select(r => r.Action);

        Assert.Equal([AuditActions.DocumentCreated, AuditActions.VersionSubmitted, AuditActions.CommentAdded, AuditActions.VersionClaimed], all.Where(a => a != AuditActions.VersionSaved));
    }

    [Fact]
    public void Creating_and_importing_record_the_new_document()
    {
        var created = Document.Create(DocumentKind.Article, "audited-new", Contents.Article(), People.Editor(), Clock.At(1));
        var imported = Document.Import(DocumentKind.Article, "audited-import", Contents.Article(), Actor.SeedImport, Clock.At(1), "seed/x.md");

        Assert.Equal((AuditActions.DocumentCreated, $"document:{created.Id}"), (Assert.Single(created.AuditEvents).Action, created.AuditEvents[0].Subject));
        Assert.Equal((AuditActions.DocumentImported, "Seed import"), (Assert.Single(imported.AuditEvents).Action, imported.AuditEvents[0].ActorName));
    }

    private static List<AuditRecord> Recorded(Document document) =>
        [.. document.AuditEvents, .. document.Versions.SelectMany(v => v.AuditEvents)];

    private static (Document, DocumentVersion) Arrange(string action) => action switch
    {
        "claim" or "sign" or "request changes" => At(Docs.InState(VersionStatus.InReview)),
        "release" => Claimed(),
        "open draft" or "restore" or "retire" or "review period" => At(Docs.InState(VersionStatus.Approved)),
        "un-retire" => Retired(),
        _ => At(Docs.InState(VersionStatus.Draft)),
    };

    private static (Document, DocumentVersion) At(Document document) => (document, document.Latest);

    private static (Document, DocumentVersion) Claimed()
    {
        var document = Docs.InState(VersionStatus.InReview);
        document.ClaimForReview(document.Latest, People.Reviewer(), Clock.At(4), Clock.ClaimLifetime);
        return (document, document.Latest);
    }

    private static (Document, DocumentVersion) Retired()
    {
        var document = Docs.InState(VersionStatus.Approved);
        document.Retire(People.Publisher(), Clock.At(4));
        return (document, document.Latest);
    }

    private static void Act(string action, Document document, DocumentVersion version)
    {
        var at = Clock.At(10);
        switch (action)
        {
            case "open draft": document.OpenDraft(People.Editor(), at, out _); break;
            case "save": document.Edit(version, Contents.Article("Edited title"), "Note", version.Revision, People.Editor(), at); break;
            case "submit": document.Submit(version, "Ready", People.Editor(), at); break;
            case "claim": document.ClaimForReview(version, People.Reviewer(), at, Clock.ClaimLifetime); break;
            case "release": document.ReleaseClaim(version, People.Reviewer(), at); break;
            case "sign": document.Sign(version, new SignRequest(Docs.SecondReviewer, version.Revision, ReviewKind.Full, at) { PasswordVerified = true }); break;
            case "request changes": document.RequestChanges(version, version.Revision, People.Reviewer(), at, "Fix the summary."); break;
            case "restore": document.RestoreAsDraft(1, null, People.Editor(), at); break;
            case "change slug": document.ChangeSlug("a-new-slug", new SlugFacts(false, false), People.Editor(), at); break;
            case "review period": document.SetReviewInterval(12, People.Reviewer(), at); break;
            case "retire": document.Retire(People.Publisher(), at); break;
            case "un-retire": document.Unretire(People.Publisher(), at); break;
            default: throw new ArgumentOutOfRangeException(nameof(action), action);
        }
    }
}
