namespace ContentPortal.Domain;

/// <summary>Someone who edited a version's content: they may never approve it.</summary>
public sealed class VersionAuthor
{
    public VersionAuthor(string userId, string displayName)
    {
        UserId = userId;
        DisplayName = displayName;
    }

    public string UserId { get; private set; }

    public string DisplayName { get; private set; }
}

/// <summary>One step of the workflow, as it happened: who, when, from, to, and why.</summary>
public sealed class WorkflowTransition
{
    public WorkflowTransition(DateTime at, string byUserId, string byName, VersionStatus? from, VersionStatus to, string? comment)
    {
        At = at;
        ByUserId = byUserId;
        ByName = byName;
        From = from;
        To = to;
        Comment = comment;
    }

    public DateTime At { get; private set; }

    public string ByUserId { get; private set; }

    public string ByName { get; private set; }

    /// <summary>Null when the version came into being in this step (created, or imported).</summary>
    public VersionStatus? From { get; private set; }

    public VersionStatus To { get; private set; }

    public string? Comment { get; private set; }
}

/// <summary>
/// A numbered version of a document. Editable only while it is a draft; from submission on,
/// its content is frozen, so what a reviewer saw is what gets approved and published. Every change
/// goes through its <see cref="Document"/> (the aggregate root); the rules of one version live here.
/// </summary>
public sealed class DocumentVersion : Aggregate
{
    private readonly List<RedFlag> _flags = [];
    private readonly List<ArticleReference> _references = [];
    private readonly List<VersionAuthor> _authors = [];
    private readonly List<Approval> _approvals = [];
    private readonly List<WorkflowTransition> _transitions = [];
    private readonly List<EvidenceCheck> _evidenceChecks = [];

    private DocumentVersion()
    {
    }

    public Guid Id { get; private set; }

    public Guid DocumentId { get; private set; }

    public int Number { get; private set; }

    public DocumentKind Kind { get; private set; }

    public VersionStatus Status { get; private set; }

    public string Title { get; private set; } = "";

    public string Summary { get; private set; } = "";

    public string BodyMarkdown { get; private set; } = "";

    public IReadOnlyList<RedFlag> Flags => _flags;

    /// <summary>An article's citations, in order.</summary>
    public IReadOnlyList<ArticleReference> References => _references;

    /// <summary>What the whole document is about, in SNOMED CT / ICD-10; content like the text (hashed, signed, diffed).</summary>
    public IReadOnlyList<ClinicalCode> Codes { get; private set; } = [];

    /// <summary>The health aspect chosen for each section of an article, in body order; content (hashed, signed, diffed).</summary>
    public IReadOnlyList<SectionAspect> Aspects { get; private set; } = [];

    public string? ChangeNote { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public string CreatedByName { get; private set; } = "";

    public DateTime UpdatedAt { get; private set; }

    public string UpdatedByName { get; private set; } = "";

    /// <summary>Goes up by one on every change; a form carries it so a save from a stale copy is caught.</summary>
    public int Revision { get; private set; }

    /// <summary>Set when the content freezes (submission); covers exactly what the reviewer sees.</summary>
    public string? ContentHash { get; private set; }

    public DateTime? SubmittedAt { get; private set; }

    public DateTime? ApprovedAt { get; private set; }

    public string? ApprovedByName { get; private set; }

    public IReadOnlyList<VersionAuthor> Authors => _authors;

    /// <summary>The signatures on this version, in signing order.</summary>
    public IReadOnlyList<Approval> Approvals => _approvals;

    /// <summary>Full unless every signature was for a minor change.</summary>
    public ReviewKind? ReviewKind { get; private set; }

    /// <summary>The last full clinical review this approved version rests on (kept from before for a minor change).</summary>
    public DateTime? LastReviewed { get; private set; }

    public DateTime? ReviewDue { get; private set; }

    /// <summary>
    /// How many periodic reviews have kept this version as it is. A completed one changes what the feed says of
    /// the version (dates, signatures) without a new version, so the manifest and the stored item carry it.
    /// </summary>
    public int PeriodicReviews { get; private set; }

    /// <summary>The reviewer working on this version, so two reviewers don't duplicate work.</summary>
    public string? ClaimedById { get; private set; }

    public string? ClaimedByName { get; private set; }

    public DateTime? ClaimedAt { get; private set; }

    /// <summary>When the claim lapses on its own (Workflow:ClaimDays after claiming), so a forgotten claim blocks nobody for long.</summary>
    public DateTime? ClaimExpiresAt { get; private set; }

    /// <summary>Someone holds a claim that has not lapsed at <paramref name="at"/>.</summary>
    public bool IsClaimedAt(DateTime at) => ClaimedById is not null && (ClaimExpiresAt is null || at < ClaimExpiresAt);

    public IReadOnlyList<WorkflowTransition> Transitions => _transitions;

    /// <summary>The evidence checks made when this version was signed (full reviews only), in signing order.</summary>
    public IReadOnlyList<EvidenceCheck> EvidenceChecks => _evidenceChecks;

    public bool IsEditable => Status == VersionStatus.Draft;

    public bool IsAuthoredBy(string userId) => _authors.Any(a => a.UserId == userId);

    /// <summary>How the audit trail names this version.</summary>
    public string Subject => $"version:{Id}";

    /// <summary>A new draft; <paramref name="by"/> is its first author unless <paramref name="authoredByOpener"/> is false (a reviewer's revision: they wrote nothing).</summary>
    internal static DocumentVersion NewDraft(Guid documentId, DocumentKind kind, int number, VersionContent content, Actor by, DateTime at, string createdNote, bool authoredByOpener = true)
    {
        var version = new DocumentVersion
        {
            Id = Guid.NewGuid(),
            DocumentId = documentId,
            Kind = kind,
            Number = number,
            Status = VersionStatus.Draft,
            CreatedAt = at,
            CreatedByName = by.DisplayName,
            UpdatedAt = at,
            UpdatedByName = by.DisplayName,
            Revision = 1,
        };
        version.SetContent(content);
        if (authoredByOpener)
        {
            version._authors.Add(new VersionAuthor(by.UserId, by.DisplayName));
        }

        version._transitions.Add(new WorkflowTransition(at, by.UserId, by.DisplayName, null, VersionStatus.Draft, createdNote));
        return version;
    }

    /// <summary>Version 1 of imported content: approved as imported, and the record says so.</summary>
    internal static DocumentVersion Imported(Guid documentId, DocumentKind kind, VersionContent content, Actor importer, DateTime at, string source)
    {
        var version = new DocumentVersion
        {
            Id = Guid.NewGuid(),
            DocumentId = documentId,
            Kind = kind,
            Number = 1,
            Status = VersionStatus.Approved,
            CreatedAt = at,
            CreatedByName = importer.DisplayName,
            UpdatedAt = at,
            UpdatedByName = importer.DisplayName,
            Revision = 1,
            ChangeNote = $"Imported from {source}",
            SubmittedAt = at,
            ApprovedAt = at,
            ApprovedByName = importer.DisplayName,
        };
        version.SetContent(content);
        version.ContentHash = version.ComputeHash();
        version.ReviewKind = Domain.ReviewKind.Full;
        version._authors.Add(new VersionAuthor(importer.UserId, importer.DisplayName));
        version._transitions.Add(new WorkflowTransition(at, importer.UserId, importer.DisplayName, null, VersionStatus.Approved, $"Imported from {source}"));
        return version;
    }

    internal void InheritAuthors(DocumentVersion basis)
    {
        foreach (var author in basis.Authors.Where(a => !IsAuthoredBy(a.UserId)))
        {
            _authors.Add(new VersionAuthor(author.UserId, author.DisplayName));
        }
    }

    internal void SetChangeNote(string note) => ChangeNote = note;

    /// <summary>Saves new content into this draft, if the editor's copy is the current one.</summary>
    internal void Edit(VersionContent content, string? changeNote, int basedOnRevision, Actor by, DateTime at)
    {
        var before = CurrentContent();
        Replace(content, changeNote, basedOnRevision, by, at);
        Audit(by, at, AuditActions.VersionSaved, Subject, $"Saved draft version {Number}: {content.DescribeChangesFrom(before)}");
    }

    /// <summary>Edit without its own audit line (a restore records what it did itself).</summary>
    internal void Replace(VersionContent content, string? changeNote, int basedOnRevision, Actor by, DateTime at)
    {
        by.Require(Roles.Editor, "edit a draft");
        if (!IsEditable)
        {
            throw new RefusedException($"Version {Number} is {Workflow.Label(Status)} and can no longer be edited. Open a new draft with Edit.");
        }

        if (basedOnRevision != Revision)
        {
            throw new StaleDraftException(basedOnRevision, Revision);
        }

        SetContent(content);
        ChangeNote = string.IsNullOrWhiteSpace(changeNote) ? null : changeNote.Trim();
        if (!IsAuthoredBy(by.UserId))
        {
            _authors.Add(new VersionAuthor(by.UserId, by.DisplayName));
        }

        Touch(by, at);
    }

    /// <summary>
    /// A decision on a version in review must rest on what the reviewer read: the revision their page
    /// showed (claims, signatures and decisions move it on). The review twin of the draft's stale check.
    /// </summary>
    internal void RefuseIfReadStale(int readRevision)
    {
        if (readRevision != Revision)
        {
            throw new RefusedException("This version changed while you were reading it (a claim, a signature or a decision). Reload the page to see where it stands.");
        }
    }

    /// <summary>Freezes the draft and hands it to the reviewers.</summary>
    internal void Submit(string? changeNote, Actor by, DateTime at)
    {
        var to = Workflow.Next(Status, WorkflowAction.Submit, by);
        var note = string.IsNullOrWhiteSpace(changeNote) ? ChangeNote : changeNote.Trim();
        if (string.IsNullOrWhiteSpace(note))
        {
            throw new InvalidContentException(new Dictionary<string, string> { ["ChangeNote"] = "Say what changed, for the reviewer." });
        }

        var errors = CurrentContent().Validate(Kind);
        if (Kind == DocumentKind.RedFlagList && Flags.Count == 0)
        {
            errors = new Dictionary<string, string>(errors) { ["Flags"] = "A red-flag list needs at least one red flag." };
        }

        if (errors.Count > 0)
        {
            throw new InvalidContentException(errors);
        }

        ChangeNote = note;
        ContentHash = ComputeHash();
        SubmittedAt = at;
        Move(to, by, at, null);
        Audit(by, at, AuditActions.VersionSubmitted, Subject, $"Draft → In review, version {Number}, content {ContentHash}: {ChangeNote}");
    }

    /// <summary>
    /// Adds one reviewer's signature (called through <see cref="Document.Sign"/>, which knows the review
    /// dates). Nobody signs a version they edited (four eyes), nobody signs twice, nobody signs content
    /// that changed since submission. Returns true when this signature completes the approval.
    /// </summary>
    internal bool Sign(SignRequest request)
    {
        var (by, at, policy) = (request.Signer, request.At, request.Policy);
        // What the reviewer read comes first: a decision made on an outdated page says so, whatever happened since.
        RefuseIfReadStale(request.ReadRevision);
        var to = Workflow.Next(Status, WorkflowAction.Approve, by);
        var note = AddSignature(request, _approvals);
        if (_approvals.Count < policy.RequiredApprovals)
        {
            // The signer's part is done: free the claim so the next reviewer can sign.
            ClearClaim();
            Revision++; // the version stays in review, but reviewers' open forms are now out of date
            return false;
        }

        ReviewKind = _approvals.All(a => a.Kind == Domain.ReviewKind.Minor) ? Domain.ReviewKind.Minor : Domain.ReviewKind.Full;
        ApprovedAt = at;
        ApprovedByName = string.Join(", ", _approvals.Select(a => a.SignerName));
        Move(to, by, at, note);
        return true;
    }

    /// <summary>
    /// The periodic-review signatures of the round under way: those made after the last review (a completed
    /// round sets Last reviewed to its final signature, so the next round starts empty).
    /// </summary>
    public IReadOnlyList<Approval> PeriodicRound() =>
        _approvals.Where(a => a.Kind == Domain.ReviewKind.Periodic && a.SignedAt > (LastReviewed ?? ApprovedAt ?? DateTime.MinValue)).ToList();

    /// <summary>
    /// A periodic-review signature on this approved version itself ("Keep as it is", called through
    /// <see cref="Document.Sign"/>, which checks the version is the published one): no new version, and the
    /// content hash unchanged, so what earlier reviewers signed stays exactly as they signed it; the new
    /// signature is bound to the same hash. The same rules as an approval (password, four eyes, separation
    /// of duties, reading-age reason, every reference answered). When the round has the policy's count of
    /// signatures the review period starts again: Last reviewed = now, Review due = now + the period.
    /// </summary>
    internal bool SignPeriodic(SignRequest request, int reviewIntervalMonths)
    {
        var (by, at, policy) = (request.Signer, request.At, request.Policy);
        RefuseIfReadStale(request.ReadRevision);
        by.Require(Roles.Reviewer, "sign a periodic review");
        if (Status != VersionStatus.Approved)
        {
            throw new RefusedException($"This version is {Workflow.Label(Status)}. A periodic review keeps a published, approved version as it is; a version in the workflow is approved instead.");
        }

        AddSignature(request, PeriodicRound());
        Revision++; // other reviewers' open forms are now out of date
        var round = PeriodicRound();
        if (round.Count < policy.RequiredApprovals)
        {
            return false;
        }

        SetReviewDates(at, at.AddMonths(reviewIntervalMonths));
        PeriodicReviews++;
        Audit(by, at, AuditActions.VersionPeriodicReviewed, Subject,
            $"Periodic review of version {Number}: kept as it is ({round.Count} of {policy.RequiredApprovals} signatures: {string.Join(", ", round.Select(a => a.SignerName))}); " +
            $"last reviewed {at:yyyy-MM-dd}, review due {ReviewDue:yyyy-MM-dd}; content {ContentHash}");
        return true;
    }

    /// <summary>
    /// The checks every signature passes and the signature itself, its evidence checks and its audit line.
    /// <paramref name="round"/> holds the signatures the signer may not already be among. Returns the note.
    /// </summary>
    private string? AddSignature(SignRequest request, IReadOnlyList<Approval> round)
    {
        var (by, at, kind, policy) = (request.Signer, request.At, request.Kind, request.Policy);
        if (!request.PasswordVerified)
        {
            // The page checks the password; the domain refuses a signature that skipped it (defence in depth).
            throw new InvalidContentException(new Dictionary<string, string> { ["Password"] = "Enter your password to sign." });
        }

        if (IsAuthoredBy(by.UserId))
        {
            throw new RefusedException("You edited this version, so you cannot approve it. Another reviewer must sign it off.");
        }

        // Two people must collude to misuse a signature: no signing across an administration, either way (21 CFR 11.200(a)(2)).
        SeparationOfDuties.RefuseSigning(by.UserId, _authors.Select(a => a.UserId).ToList(), request.Administrations, request.PasswordSetByAdministrator);

        if (by.Sponsors.FirstOrDefault(s => IsAuthoredBy(s.UserId)) is { } sponsor)
        {
            throw new RefusedException(
                $"{sponsor.DisplayName} {sponsor.What} and also edited this version, so you cannot sign it: an account may not approve " +
                "the work of the person who set it up, because they could have acted through it. Another reviewer must sign it off.");
        }

        if (round.Any(a => a.SignerId == by.UserId))
        {
            throw new RefusedException(kind == Domain.ReviewKind.Periodic
                ? "You have already signed this periodic review. Another reviewer must add the next signature."
                : "You have already signed this version. Another reviewer must add the next signature.");
        }

        RefuseIfClaimedByAnother(by, at);
        var hash = ComputeHash();
        if (ContentHash != hash)
        {
            throw new RefusedException("This version's content no longer matches what was submitted, so it cannot be approved.");
        }

        // Reading age above target needs a reason; a full or periodic review answers for every reference. Nothing is signed otherwise.
        var readability = ClinicalQuality.Measure(this);
        var (reason, problems) = ClinicalQuality.CheckAnswers(readability, policy.ReadingAgeTarget, kind, References, request.Answers);
        if (problems.Count > 0)
        {
            throw new InvalidContentException(problems);
        }

        var note = string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment.Trim();
        var signature = new Approval(by.UserId, by.DisplayName, Roles.Reviewer, at, Approval.MeaningOf(kind), hash, kind, note, reason);
        _approvals.Add(signature);
        var evidence = "";
        if (kind != Domain.ReviewKind.Minor && _references.Count > 0)
        {
            var given = request.Answers.Evidence;
            foreach (var reference in _references.OrderBy(r => r.Position))
            {
                var answer = given.First(a => a.Position == reference.Position);
                _evidenceChecks.Add(new EvidenceCheck(reference.Position, reference.Source, reference.Link, at, by.UserId, by.DisplayName,
                    answer.Rechecked, answer.Rechecked ? null : answer.NotRecheckedBecause!.Trim()));
            }

            var rechecked = _evidenceChecks.Count(c => c.CheckedAt == at && c.CheckedById == by.UserId && c.Rechecked);
            evidence = $"; evidence: {rechecked} of {_references.Count} references re-checked";
        }

        var readingAge = reason is null ? "" : $"; reading age {readability.ReadingAge} above target {policy.ReadingAgeTarget}, because: {reason}";
        Audit(by, at, AuditActions.VersionSigned, Subject,
            $"Signed version {Number} of \"{Title}\" as {signature.SignerRole} ({signature.Kind} review): \"{signature.Meaning}\" content {signature.ContentHash}{readingAge}{evidence}");
        return note;
    }

    /// <summary>The approval's audit line, once <see cref="Document.Sign"/> has set the review dates it names.</summary>
    internal void RecordApproval(Actor by, DateTime at, SignOffPolicy policy) =>
        Audit(by, at, AuditActions.VersionApproved, Subject,
            $"In review → Approved ({_approvals.Count} of {policy.RequiredApprovals} signatures); review due {ReviewDue:yyyy-MM-dd}");

    internal void SetReviewDates(DateTime lastReviewed, DateTime reviewDue)
    {
        LastReviewed = lastReviewed;
        ReviewDue = reviewDue;
    }

    /// <summary>
    /// The content is still what was frozen at submission (or import) and every signature matches it;
    /// false if anything in the version changed, signed or not.
    /// </summary>
    public bool SignaturesVerify()
    {
        var hash = ComputeHash();
        return (ContentHash is null || ContentHash == hash) && _approvals.All(a => a.ContentHash == hash);
    }

    /// <summary>Marks the version as being reviewed by <paramref name="by"/>; others see who has it.</summary>
    internal void ClaimForReview(Actor by, DateTime at, TimeSpan lifetime)
    {
        by.Require(Roles.Reviewer, "claim a version for review");
        if (lifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), "A claim must last a while.");
        }

        if (Status != VersionStatus.InReview)
        {
            throw new RefusedException($"This version is {Workflow.Label(Status)}; only a version in review can be claimed.");
        }

        if (ClaimedById == by.UserId && IsClaimedAt(at))
        {
            throw new RefusedException("You have already claimed this version.");
        }

        if (IsAuthoredBy(by.UserId))
        {
            // Claiming what you cannot sign would only block the reviewers who can.
            throw new RefusedException("You edited this version, so you cannot claim it for review. Another reviewer must review it.");
        }

        RefuseIfClaimedByAnother(by, at);
        var lapsed = ClaimedById is not null && ClaimedById != by.UserId ? $" ({ClaimedByName}'s claim had lapsed)" : "";
        ClaimedById = by.UserId;
        ClaimedByName = by.DisplayName;
        ClaimedAt = at;
        ClaimExpiresAt = at + lifetime;
        Revision++;
        Audit(by, at, AuditActions.VersionClaimed, Subject, $"Claimed version {Number} for review until {ClaimExpiresAt:yyyy-MM-dd HH:mm} UTC{lapsed}");
    }

    /// <summary>The claimant releases their claim; an administrator may release anyone's (someone away, a claim left behind).</summary>
    internal void ReleaseClaim(Actor by, DateTime at)
    {
        var claimant = ClaimedById == by.UserId;
        if (!claimant && !by.Holds(Roles.Admin))
        {
            by.Require(Roles.Reviewer, "release a review claim");
        }

        if (ClaimedById is null)
        {
            throw new RefusedException("Nobody has claimed this version.");
        }

        if (!claimant && !by.Holds(Roles.Admin))
        {
            throw new RefusedException($"{ClaimedByName} claimed this version; only they or an administrator can release it.");
        }

        var whose = claimant ? "" : $" (claimed by {ClaimedByName}; released by an administrator)";
        ClearClaim();
        Revision++;
        Audit(by, at, AuditActions.VersionReleased, Subject, $"Released version {Number} for review{whose}");
    }

    /// <summary>Sends the version back to the editors; the comment tells them what to change.</summary>
    internal void RequestChanges(int readRevision, Actor by, DateTime at, string? comment)
    {
        RefuseIfReadStale(readRevision);
        var to = Workflow.Next(Status, WorkflowAction.RequestChanges, by);
        RefuseIfClaimedByAnother(by, at);
        if (string.IsNullOrWhiteSpace(comment))
        {
            throw new InvalidContentException(new Dictionary<string, string> { ["Comment"] = "Say what needs to change, for the editor." });
        }

        Move(to, by, at, comment.Trim());
        Audit(by, at, AuditActions.VersionChangesRequested, Subject, $"In review → Changes requested: {comment.Trim()}");
    }

    public VersionContent CurrentContent() => new(
        Title,
        Summary,
        BodyMarkdown,
        _flags.OrderBy(f => f.Position).Select(f => new RedFlagInput(f.Symptom, f.Advice, f.Urgency.ToString().ToLowerInvariant()) { Codes = f.Codes }).ToList())
    {
        References = _references.OrderBy(r => r.Position).Select(r => new ReferenceInput(r.Source, r.Link) { Section = r.Section }).ToList(),
        Codes = Codes,
        Aspects = Aspects,
    };

    public string ComputeHash() => Domain.ContentHash.Of(Kind, Title, Summary, BodyMarkdown, _flags, _references, Codes, Aspects);

    private void SetContent(VersionContent content)
    {
        var errors = content.Validate(Kind);
        if (errors.Count > 0)
        {
            throw new InvalidContentException(errors);
        }

        Title = content.Title.Trim();
        Summary = content.Summary.Trim();
        BodyMarkdown = Kind == DocumentKind.Article ? content.BodyMarkdown.Replace("\r\n", "\n") : "";
        Codes = ClinicalCodes.Normalized(content.Codes);
        // A choice for a heading the body no longer has is dropped, never kept for a section that is not there.
        Aspects = Kind == DocumentKind.Article ? HealthAspects.Normalized(content.Aspects, BodyMarkdown) : [];
        _flags.Clear();
        _references.Clear();
        if (Kind == DocumentKind.Article)
        {
            var position = 0;
            foreach (var reference in content.References)
            {
                _references.Add(new ArticleReference(++position, reference.Source.Trim(), ReferenceInput.Normalise(reference.Link),
                    string.IsNullOrWhiteSpace(reference.Section) ? null : reference.Section.Trim()));
            }
        }

        if (Kind == DocumentKind.RedFlagList)
        {
            var position = 0;
            foreach (var flag in content.Flags)
            {
                VersionContent.TryParseUrgency(flag.Urgency, out var urgency);
                _flags.Add(new RedFlag(++position, flag.Symptom.Trim(), flag.Advice.Trim(), urgency).WithCodes(flag.Codes));
            }
        }
    }

    private void Move(VersionStatus to, Actor by, DateTime at, string? comment)
    {
        _transitions.Add(new WorkflowTransition(at, by.UserId, by.DisplayName, Status, to, comment));
        Status = to;
        if (to != VersionStatus.InReview)
        {
            ClearClaim();
        }

        Touch(by, at);
    }

    private void RefuseIfClaimedByAnother(Actor by, DateTime at)
    {
        if (IsClaimedAt(at) && ClaimedById != by.UserId)
        {
            var until = ClaimExpiresAt is { } expires ? $" until {expires:yyyy-MM-dd HH:mm} UTC" : "";
            throw new RefusedException($"{ClaimedByName} has claimed this version for review{until}. Ask them to release it first, or an administrator.");
        }
    }

    private void ClearClaim()
    {
        ClaimedById = null;
        ClaimedByName = null;
        ClaimedAt = null;
        ClaimExpiresAt = null;
    }

    private void Touch(Actor by, DateTime at)
    {
        UpdatedAt = at;
        UpdatedByName = by.DisplayName;
        Revision++;
    }
}
