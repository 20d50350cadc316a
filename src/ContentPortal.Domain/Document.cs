namespace ContentPortal.Domain;

/// <summary>
/// An article or red-flag list: a stable id and slug, and numbered versions. At most one version
/// is open (a draft or in review) at a time.
/// </summary>
public sealed class Document : Aggregate
{
    private readonly List<DocumentVersion> _versions = [];

    private Document()
    {
    }

    public Guid Id { get; private set; }

    public DocumentKind Kind { get; private set; }

    public string Slug { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    public IReadOnlyList<DocumentVersion> Versions => _versions;

    /// <summary>How long a full clinical review stays valid: Review due = Last reviewed + this.</summary>
    public int ReviewIntervalMonths { get; private set; } = SignOffPolicy.DefaultReviewIntervalMonths;

    /// <summary>The review dates in force: those of the latest approved version.</summary>
    public DateTime? LastReviewed => LatestApproved?.LastReviewed;

    public DateTime? ReviewDue => LatestApproved?.ReviewDue;

    public bool IsReviewOverdue(DateTime now) => ReviewDue is { } due && due <= now;

    /// <summary>Set while the document is retired: it stays out of new snapshots; its history stays.</summary>
    public DateTime? RetiredAt { get; private set; }

    public string? RetiredByName { get; private set; }

    public bool IsRetired => RetiredAt is not null;

    // The listing: what lists, dashboards and the publish plan need, on the document's own row so a page
    // of 50 never reads every version. Derived from the versions by RefreshListing (the DbContext calls
    // it for every document a save touches), except PublishedVersionId, which publishing sets.

    /// <summary>Number of the latest version (<see cref="VersionOption.Latest"/>).</summary>
    public int LatestNumber { get; private set; }

    public VersionStatus LatestStatus { get; private set; }

    public string LatestTitle { get; private set; } = "";

    public DateTime LatestUpdatedAt { get; private set; }

    /// <summary>Id of the latest approved version (<see cref="VersionOption.LatestApproved"/>), if any.</summary>
    public Guid? LatestApprovedId { get; private set; }

    /// <summary><see cref="ReviewDue"/> as stored for queries (the latest approved version's review date).</summary>
    public DateTime? ListedReviewDue { get; private set; }

    /// <summary>The version the current snapshot serves (<see cref="VersionOption.Published"/>), if any.</summary>
    public Guid? PublishedVersionId { get; private set; }

    /// <summary>The latest approved version's <see cref="DocumentVersion.PeriodicReviews"/>, for the publish plan.</summary>
    public int ListedPeriodicReviews { get; private set; }

    /// <summary>The periodic reviews the current snapshot's entry carries (publishing sets it, with <see cref="PublishedVersionId"/>).</summary>
    public int PublishedPeriodicReviews { get; private set; }

    /// <summary>The current snapshot's item says the review is overdue (publishing sets it; <see cref="OverduePolicy"/>).</summary>
    public bool PublishedReviewOverdue { get; private set; }

    /// <summary>
    /// When the evidence behind the latest approved version is next due for a re-check
    /// (<see cref="ClinicalQuality.EvidenceDue"/>), stored so the dashboards find what is late without
    /// reading every version's references and checks. Null without references.
    /// </summary>
    public DateTime? ListedEvidenceDue { get; private set; }

    /// <summary>Which definition of the listing columns this row was computed with; a start-up step recomputes older rows.</summary>
    public int ListingRevision { get; private set; }

    /// <summary>Raised when a listing column is added or changes meaning (2: <see cref="ListedEvidenceDue"/>).</summary>
    public const int CurrentListingRevision = 2;

    /// <summary>Brings the listing columns in line with the versions (idempotent).</summary>
    public void RefreshListing()
    {
        if (_versions.Count == 0)
        {
            return;
        }

        ListingRevision = CurrentListingRevision;

        var latest = Latest;
        LatestNumber = latest.Number;
        LatestStatus = latest.Status;
        LatestTitle = latest.Title;
        LatestUpdatedAt = latest.UpdatedAt;
        var approved = LatestApproved;
        LatestApprovedId = approved?.Id;
        ListedReviewDue = approved?.ReviewDue;
        ListedPeriodicReviews = approved?.PeriodicReviews ?? 0;
        // Rechecks on any version count, and a link first cited counts from its first approval (as the review page says).
        ListedEvidenceDue = approved is null ? null : ClinicalQuality.EvidenceDue(
            approved.References.Select(r => r.Link),
            ReviewIntervalMonths,
            _versions.SelectMany(v => v.EvidenceChecks).Where(c => c.Rechecked).Select(c => (c.Link, c.CheckedAt)),
            _versions.Where(v => v.ApprovedAt is not null).SelectMany(v => v.References.Select(r => (r.Link, v.ApprovedAt!.Value))));
    }

    /// <see cref="VersionOption.Latest"/>: the highest-numbered version, whatever its status.
    public DocumentVersion Latest => _versions.MaxBy(v => v.Number) ?? throw new InvalidOperationException("A document always has a version.");

    /// <see cref="VersionOption.LatestApproved"/>: what the next snapshot would publish (unless retired).
    public DocumentVersion? LatestApproved => _versions.Where(VersionOptions.IsApprovedRule).MaxBy(v => v.Number);

    /// <summary>The version editors are working on or reviewers are reviewing, if any.</summary>
    public DocumentVersion? OpenVersion => _versions.Where(v => v.Status is VersionStatus.Draft or VersionStatus.InReview).MaxBy(v => v.Number);

    /// <summary>
    /// The version <paramref name="option"/> names, or null when there is none. "Published" is decided by
    /// the current snapshot, not by the document, so the caller passes the version id the snapshot lists.
    /// </summary>
    public DocumentVersion? Pick(VersionOption option, Guid? publishedVersionId = null) => option switch
    {
        VersionOption.Latest => Latest,
        VersionOption.LatestApproved => LatestApproved,
        VersionOption.Published => (publishedVersionId ?? PublishedVersionId) is { } id ? _versions.FirstOrDefault(v => v.Id == id) : null,
        _ => throw new ArgumentOutOfRangeException(nameof(option)),
    };

    private string Subject => $"document:{Id}";

    public static Document Create(DocumentKind kind, string slug, VersionContent content, Actor by, DateTime at)
    {
        by.Require(Roles.Editor, "create a document");
        var slugProblem = Domain.Slug.Problem(slug);
        if (slugProblem is not null)
        {
            throw new InvalidContentException(new Dictionary<string, string> { ["Slug"] = slugProblem });
        }

        var document = new Document { Id = Guid.NewGuid(), Kind = kind, Slug = slug, CreatedAt = at };
        document._versions.Add(DocumentVersion.NewDraft(document.Id, kind, 1, content, by, at, "Created"));
        document.RefreshListing();
        document.Audit(by, at, AuditActions.DocumentCreated, document.Subject, $"Created {kind} \"{document.Latest.Title}\" with slug {slug}");
        return document;
    }

    public static Document Import(DocumentKind kind, string slug, VersionContent content, Actor importer, DateTime at, string source)
    {
        var slugProblem = Domain.Slug.Problem(slug);
        if (slugProblem is not null)
        {
            throw new InvalidContentException(new Dictionary<string, string> { ["Slug"] = $"{source}: {slugProblem}" });
        }

        var document = new Document { Id = Guid.NewGuid(), Kind = kind, Slug = slug, CreatedAt = at };
        var version = DocumentVersion.Imported(document.Id, kind, content, importer, at, source);
        version.SetReviewDates(at, at.AddMonths(document.ReviewIntervalMonths));
        document._versions.Add(version);
        document.RefreshListing();
        document.Audit(importer, at, AuditActions.DocumentImported, document.Subject,
            $"Imported \"{version.Title}\" ({slug}) as version 1, approved as imported: {version.ChangeNote}; content {version.ContentHash}");
        return document;
    }

    /// <summary>
    /// The draft to edit: the open one, or a new one copied from the latest version.
    /// Refused while a version is in review, so reviewers never chase a moving target.
    /// </summary>
    public DocumentVersion OpenDraft(Actor by, DateTime at, out bool created)
    {
        by.Require(Roles.Editor, "edit content");
        var open = OpenVersion;
        if (open is { Status: VersionStatus.Draft })
        {
            created = false;
            return open;
        }

        if (open is { Status: VersionStatus.InReview })
        {
            throw new RefusedException($"Version {open.Number} is in review. It can be edited again once a reviewer approves it or requests changes.");
        }

        var basis = Latest;
        var draft = DocumentVersion.NewDraft(Id, Kind, basis.Number + 1, basis.CurrentContent(), by, at, $"Started from version {basis.Number}");
        if (basis.Status != VersionStatus.Approved)
        {
            // Text nobody approved stays its authors' work: they may not approve the copy either.
            draft.InheritAuthors(basis);
        }

        _versions.Add(draft);
        created = true;
        Audit(by, at, AuditActions.VersionDraftOpened, draft.Subject, $"Opened draft version {draft.Number} of \"{draft.Title}\" from version {basis.Number}");
        return draft;
    }

    /// <summary>Saves new content into the draft, if the editor's copy is the current one (<see cref="StaleDraftException"/> otherwise).</summary>
    public void Edit(DocumentVersion draft, VersionContent content, string? changeNote, int basedOnRevision, Actor by, DateTime at) =>
        Own(draft).Edit(content, changeNote, basedOnRevision, by, at);

    /// <summary>Freezes the draft (its content hash recorded) and hands it to the reviewers.</summary>
    public void Submit(DocumentVersion draft, string? changeNote, Actor by, DateTime at) =>
        Own(draft).Submit(changeNote, by, at);

    /// <summary>A reviewer marks the version in review as theirs for <paramref name="lifetime"/>; others see who has it.</summary>
    public void ClaimForReview(DocumentVersion version, Actor by, DateTime at, TimeSpan lifetime) =>
        Own(version).ClaimForReview(by, at, lifetime);

    /// <summary>The claimant, or an administrator, releases a review claim.</summary>
    public void ReleaseClaim(DocumentVersion version, Actor by, DateTime at) =>
        Own(version).ReleaseClaim(by, at);

    /// <summary>Sends the version in review back to the editors, from the revision the reviewer read; the comment says what to change.</summary>
    public void RequestChanges(DocumentVersion version, int readRevision, Actor by, DateTime at, string? comment) =>
        Own(version).RequestChanges(readRevision, by, at, comment);

    /// <summary>
    /// A reviewer signs a version. When the signatures reach the policy's count the version is approved
    /// and gets its review dates: a full review starts a new review period; a minor change keeps the
    /// dates of the approval before it (NHS practice for typo-level fixes).
    /// </summary>
    public bool Sign(DocumentVersion version, SignRequest request)
    {
        Own(version);
        if (request.Kind == ReviewKind.Periodic)
        {
            return SignPeriodicReview(version, request);
        }

        var previous = _versions.Where(v => v.Status == VersionStatus.Approved && v.Number < version.Number).MaxBy(v => v.Number);
        if (request.Kind == ReviewKind.Minor && previous?.LastReviewed is null)
        {
            throw new RefusedException("This document has never had a full clinical review, so this change cannot be approved as minor.");
        }

        if (!version.Sign(request))
        {
            return false;
        }

        var at = request.At;
        if (version.ReviewKind == ReviewKind.Minor)
        {
            version.SetReviewDates(previous!.LastReviewed!.Value, previous.ReviewDue ?? previous.LastReviewed.Value.AddMonths(ReviewIntervalMonths));
        }
        else
        {
            version.SetReviewDates(at, at.AddMonths(ReviewIntervalMonths));
        }

        version.RecordApproval(request.Signer, at, request.Policy);
        return true;
    }

    /// <summary>
    /// "Keep as it is": a periodic-review signature on the version the current snapshot serves, with no new
    /// version. Only that version, and only while it is also what the next publish would serve (not retired,
    /// no newer approval waiting), since the review is of what readers see. Completing the round starts a
    /// new review period; the next publish carries the new dates and signatures.
    /// </summary>
    private bool SignPeriodicReview(DocumentVersion version, SignRequest request)
    {
        if (version.Id != PublishedVersionId)
        {
            throw new RefusedException(PublishedVersionId is null
                ? "This document has not been published, so it has no periodic review yet."
                : $"Version {version.Number} is not the published version. A periodic review is of the version readers see.");
        }

        if (IsRetired)
        {
            throw new RefusedException($"\u201c{Latest.Title}\u201d is retired; un-retire it before reviewing it.");
        }

        if (LatestApproved is { } newer && newer.Number > version.Number)
        {
            throw new RefusedException($"Version {newer.Number} is approved and replaces version {version.Number} at the next publish, so there is nothing to keep: publish it instead.");
        }

        return version.SignPeriodic(request, ReviewIntervalMonths);
    }

    /// <summary>
    /// The version a periodic review would keep: the published one, while it is also what the next publish
    /// serves (not retired, no newer approval waiting); null otherwise. Pages offer the review for it.
    /// </summary>
    public DocumentVersion? PeriodicReviewVersion =>
        !IsRetired && PublishedVersionId is { } id && LatestApproved is { } approved && approved.Id == id ? approved : null;

    public const int MaxReviseNoteLength = ReviewThread.MaxTextLength;

    /// <summary>
    /// "Revise" at a periodic review: opens draft N+1 from the published version for the editors, with the
    /// reviewer's note (the page starts a comment thread with it). The reviewer wrote nothing, so they are not
    /// its author and may still approve it. The document stays due: its review dates are the published
    /// version's until the new version is approved.
    /// </summary>
    public DocumentVersion Revise(DocumentVersion published, string? note, Actor by, DateTime at)
    {
        by.Require(Roles.Reviewer, "revise a document at its periodic review");
        Own(published);
        if (PeriodicReviewVersion?.Id != published.Id)
        {
            throw new RefusedException($"Version {published.Number} is not the published version. A periodic review is of the version readers see.");
        }

        if (OpenVersion is { } open)
        {
            throw new RefusedException($"Version {open.Number} is {Workflow.Label(open.Status)} already: add your note to it there, so editors work on one revision.");
        }

        if (string.IsNullOrWhiteSpace(note) || note.Trim().Length > MaxReviseNoteLength)
        {
            throw new InvalidContentException(new Dictionary<string, string>
            {
                ["ReviseNote"] = string.IsNullOrWhiteSpace(note) ? "Say what should change, for the editors." : $"Keep the note to {MaxReviseNoteLength} characters.",
            });
        }

        var draft = DocumentVersion.NewDraft(Id, Kind, Latest.Number + 1, published.CurrentContent(), by, at,
            $"Opened from version {published.Number} at its periodic review", authoredByOpener: false);
        _versions.Add(draft);
        Audit(by, at, AuditActions.VersionDraftOpened, draft.Subject,
            $"Opened draft version {draft.Number} of \"{draft.Title}\" from published version {published.Number} to revise it at its periodic review: {note.Trim()}");
        return draft;
    }

    /// <summary>A version of this document; any other is refused, so no rule runs against the wrong document's versions.</summary>
    private DocumentVersion Own(DocumentVersion version) =>
        _versions.Contains(version) ? version : throw new RefusedException("That version belongs to another document.");

    /// <summary>Sets how long the next full review stays valid (1 to 60 months). Reviewers decide clinical review periods.</summary>
    public void SetReviewInterval(int months, Actor by, DateTime at)
    {
        by.Require(Roles.Reviewer, "change a document's review period");
        if (months is < 1 or > 60)
        {
            throw new InvalidContentException(new Dictionary<string, string> { ["ReviewIntervalMonths"] = "Choose a review period between 1 and 60 months." });
        }

        var before = ReviewIntervalMonths;
        ReviewIntervalMonths = months;
        Audit(by, at, AuditActions.DocumentReviewPeriodChanged, Subject, $"Review period {before} → {months} months");
    }

    /// <summary>
    /// Brings back the text of an earlier version as a draft: a new version N+1, or, when a draft is
    /// already open, that draft's text replaced (only from its current revision, so nobody's saved
    /// work is overwritten unseen). The old version itself never changes.
    /// </summary>
    public DocumentVersion RestoreAsDraft(int number, int? openDraftRevision, Actor by, DateTime at)
    {
        by.Require(Roles.Editor, "restore a version");
        var source = Version(number);
        var note = $"Restored from version {number}";
        switch (OpenVersion)
        {
            case { Status: VersionStatus.InReview } inReview:
                throw new RefusedException($"Version {inReview.Number} is in review. Restore once a reviewer approves it or requests changes.");
            case { Status: VersionStatus.Draft } draft when draft.Number == number:
                throw new RefusedException($"Version {number} is the open draft already: edit it instead.");
            case { Status: VersionStatus.Draft } draft:
                draft.Replace(source.CurrentContent(), note, openDraftRevision ?? 0, by, at);
                if (source.Status != VersionStatus.Approved)
                {
                    draft.InheritAuthors(source);
                }

                Audit(by, at, AuditActions.VersionRestored, draft.Subject, $"Restored the text of version {number} into draft version {draft.Number}");
                return draft;
        }

        var restored = DocumentVersion.NewDraft(Id, Kind, Latest.Number + 1, source.CurrentContent(), by, at, note);
        restored.SetChangeNote(note);
        if (source.Status != VersionStatus.Approved)
        {
            restored.InheritAuthors(source);
        }

        _versions.Add(restored);
        Audit(by, at, AuditActions.VersionRestored, restored.Subject, $"Restored the text of version {number} as draft version {restored.Number}");
        return restored;
    }

    /// <summary>A slug may change until the document is first published: from then on, feed readers rely on it.</summary>
    public void ChangeSlug(string slug, SlugFacts facts, Actor by, DateTime at)
    {
        by.Require(Roles.Editor, "change a slug");
        if (facts.EverPublished)
        {
            throw new RefusedException("This document has been published, so its slug is part of the feed and can no longer change.");
        }

        var problem = Domain.Slug.Problem(slug) ?? (slug != Slug && facts.TakenByAnother ? Domain.Slug.Taken(slug) : null);
        if (problem is not null)
        {
            throw new InvalidContentException(new Dictionary<string, string> { ["Slug"] = problem });
        }

        if (slug == Slug)
        {
            throw new RefusedException($"The slug is \"{slug}\" already.");
        }

        var before = Slug;
        Slug = slug;
        Audit(by, at, AuditActions.DocumentSlugChanged, Subject, $"Slug {before} → {slug}");
    }

    /// <summary>Takes the document out of the next snapshot (a publisher's call); versions and history are kept.</summary>
    public void Retire(Actor by, DateTime at)
    {
        by.Require(Roles.Publisher, "retire a document");
        if (IsRetired)
        {
            throw new RefusedException($"\u201c{Latest.Title}\u201d is already retired.");
        }

        RetiredAt = at;
        RetiredByName = by.DisplayName;
        Audit(by, at, AuditActions.DocumentRetired, Subject, $"Retired \"{Latest.Title}\" ({Slug})");
    }

    /// <summary>Brings a retired document back: its latest approved version enters the next snapshot again.</summary>
    public void Unretire(Actor by, DateTime at)
    {
        by.Require(Roles.Publisher, "un-retire a document");
        if (!IsRetired)
        {
            throw new RefusedException($"\u201c{Latest.Title}\u201d is not retired.");
        }

        RetiredAt = null;
        RetiredByName = null;
        Audit(by, at, AuditActions.DocumentUnretired, Subject, $"Un-retired \"{Latest.Title}\" ({Slug})");
    }

    /// <summary>Each reference of <paramref name="version"/> with its last evidence check on this or an earlier version.</summary>
    public IReadOnlyList<ReferenceCheck> EvidenceOf(DocumentVersion version) => ClinicalQuality.EvidenceOf(_versions, version);

    public DocumentVersion Version(int number) =>
        _versions.FirstOrDefault(v => v.Number == number) ?? throw new RefusedException($"This document has no version {number}.");
}

/// <summary>What the database knows about a slug that the document itself cannot: asked in one place (DocumentQueries).</summary>
public sealed record SlugFacts(bool TakenByAnother, bool EverPublished);
