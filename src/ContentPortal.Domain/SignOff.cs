namespace ContentPortal.Domain;

/// <summary>
/// Whether a sign-off was a full clinical review, a minor change (typo) that keeps the last review date, or
/// a periodic review of the published version that keeps it as it is (no new version; a new review period).
/// </summary>
public enum ReviewKind
{
    Full,
    Minor,
    Periodic,
}

/// <summary>
/// An electronic signature (21 CFR Part 11 §11.50, §11.70): who signed, as what, when, what it means,
/// and the SHA-256 of exactly the content signed. It verifies only against that content.
/// </summary>
public sealed class Approval
{
    public const string FullMeaning = "I approve this version for publication as clinically accurate.";
    public const string MinorMeaning = "I approve this minor change for publication; the clinical content was not re-reviewed.";
    public const string PeriodicMeaning = "I have reviewed this content at its periodic review and it remains clinically accurate.";

    public Approval(string signerId, string signerName, string signerRole, DateTime signedAt, string meaning, string contentHash, ReviewKind kind, string? comment, string? readabilityReason = null)
    {
        ReadabilityReason = readabilityReason;
        SignerId = signerId;
        SignerName = signerName;
        SignerRole = signerRole;
        SignedAt = signedAt;
        Meaning = meaning;
        ContentHash = contentHash;
        Kind = kind;
        Comment = comment;
    }

    public string SignerId { get; private set; }

    /// <summary>The signer's full name as shown on the signature.</summary>
    public string SignerName { get; private set; }

    public string SignerRole { get; private set; }

    public DateTime SignedAt { get; private set; }

    public string Meaning { get; private set; }

    /// <summary>The content hash the signer saw; binds the signature to that exact content.</summary>
    public string ContentHash { get; private set; }

    public ReviewKind Kind { get; private set; }

    public string? Comment { get; private set; }

    /// <summary>Why the signer approved content whose reading age is above the target; null when it was not.</summary>
    public string? ReadabilityReason { get; private set; }

    public static string MeaningOf(ReviewKind kind) => kind switch
    {
        ReviewKind.Minor => MinorMeaning,
        ReviewKind.Periodic => PeriodicMeaning,
        _ => FullMeaning,
    };

    /// <summary>How pages and the feed name the kind: "full", "minor", "periodic".</summary>
    public static string KindName(ReviewKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The kind as a person reads it on a signature.</summary>
    public static string KindLabel(ReviewKind kind) => kind switch
    {
        ReviewKind.Minor => "minor change",
        ReviewKind.Periodic => "periodic review, kept as it is",
        _ => "full clinical review",
    };

    /// <summary>True only if the version's content is still exactly what was signed.</summary>
    public bool Verifies(DocumentVersion version) => ContentHash == version.ComputeHash();
}

/// <summary>The rules in force when a reviewer signs: how many distinct signatures make a version approved.</summary>
public sealed record SignOffPolicy
{
    /// <summary>At least one: a configured 0 or less still needs one signature.</summary>
    public SignOffPolicy(int requiredApprovals) => RequiredApprovals = Math.Max(1, requiredApprovals);

    public int RequiredApprovals { get; }

    /// <summary>Signing content above this reading age needs a reason (Content:ReadingAgeTarget); null: no target.</summary>
    public int? ReadingAgeTarget { get; init; }

    public const int DefaultReadingAgeTarget = 12;

    public static SignOffPolicy Default { get; } = new(1);

    public const int DefaultReviewIntervalMonths = 36;
}

/// <summary>
/// One reviewer's request to sign a version, and everything the signature rests on: who signs, the
/// revision their page showed, the kind of review (and so the meaning signed), that they re-entered their
/// password, the rules in force, and their answers. A new fact about the signer that a signing rule needs
/// is a property here (as <see cref="Actor.Sponsors"/> is on the signer), not another parameter.
/// </summary>
public sealed record SignRequest(Actor Signer, int ReadRevision, ReviewKind Kind, DateTime At)
{
    /// <summary>How many signatures approve, and the reading-age target.</summary>
    public SignOffPolicy Policy { get; init; } = SignOffPolicy.Default;

    /// <summary>The signer re-entered their password for this signature and it was checked (21 CFR 11.200); nothing is signed otherwise.</summary>
    public bool PasswordVerified { get; init; }

    /// <summary>The signer's note on the signature; blank is none.</summary>
    public string? Comment { get; init; }

    /// <summary>The reading-age reason and the evidence answers the signing form asked for.</summary>
    public SigningAnswers Answers { get; init; } = SigningAnswers.None;

    /// <summary>
    /// The account administrations between the signer and others (created, roles changed, password reset, a change
    /// approved): the facts <see cref="SeparationOfDuties"/> judges. Only those between the signer and an author count.
    /// </summary>
    public IReadOnlyList<AccountAdministration> Administrations { get; init; } = [];

    /// <summary>An administrator set the signer's password and the signer has not chosen their own since.</summary>
    public bool PasswordSetByAdministrator { get; init; }
}

/// <summary>A review comment thread on one version: it can point at a paragraph or a red flag, editors reply, anyone resolves.</summary>
public sealed class ReviewThread : Aggregate
{
    private readonly List<ThreadMessage> _messages = [];

    public const int MaxTextLength = 4000;

    private ReviewThread()
    {
    }

    public Guid Id { get; private set; }

    public Guid DocumentId { get; private set; }

    public Guid VersionId { get; private set; }

    public int VersionNumber { get; private set; }

    /// <summary>"p3" for paragraph 3, "flag2" for red flag 2, null for the version as a whole.</summary>
    public string? Anchor { get; private set; }

    /// <summary>What the anchor pointed at when the thread started (the paragraph's first words, the symptom).</summary>
    public string? AnchorText { get; private set; }

    public bool IsResolved { get; private set; }

    public DateTime? ResolvedAt { get; private set; }

    public string? ResolvedByName { get; private set; }

    public IReadOnlyList<ThreadMessage> Messages => _messages;

    private string Subject => $"thread:{Id}";

    public static ReviewThread Start(DocumentVersion version, string? anchor, string? anchorText, string? text, Actor by, DateTime at)
    {
        RequireParticipant(by, guestMayJoin: true);
        var thread = new ReviewThread
        {
            Id = Guid.NewGuid(),
            DocumentId = version.DocumentId,
            VersionId = version.Id,
            VersionNumber = version.Number,
            Anchor = string.IsNullOrWhiteSpace(anchor) ? null : anchor.Trim(),
            AnchorText = string.IsNullOrWhiteSpace(anchor) ? null : anchorText,
        };
        thread._messages.Add(Message(text, by, at));
        thread.Audit(by, at, AuditActions.CommentAdded, version.Subject, $"New thread{(thread.AnchorText is null ? "" : $" on {thread.AnchorText}")}: {thread._messages[0].Text}");
        return thread;
    }

    public void Reply(string? text, Actor by, DateTime at)
    {
        RequireParticipant(by, guestMayJoin: true);
        if (IsResolved)
        {
            throw new RefusedException("This thread is resolved. Reopen it to reply.");
        }

        _messages.Add(Message(text, by, at));
        Audit(by, at, AuditActions.CommentReplied, Subject, $"Reply: {_messages[^1].Text}");
    }

    public void Resolve(Actor by, DateTime at)
    {
        RequireParticipant(by);
        if (IsResolved)
        {
            throw new RefusedException($"This thread was already resolved by {ResolvedByName}.");
        }

        IsResolved = true;
        ResolvedAt = at;
        ResolvedByName = by.DisplayName;
        Audit(by, at, AuditActions.CommentResolved, Subject, "Thread resolved");
    }

    public void Reopen(Actor by, DateTime at)
    {
        RequireParticipant(by);
        if (!IsResolved)
        {
            throw new RefusedException("This thread is open already.");
        }

        IsResolved = false;
        ResolvedAt = null;
        ResolvedByName = null;
        Audit(by, at, AuditActions.CommentReopened, Subject, "Thread reopened");
    }

    private static ThreadMessage Message(string? text, Actor by, DateTime at)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new InvalidContentException(new Dictionary<string, string> { ["Text"] = "Write a comment." });
        }

        if (text.Trim().Length > MaxTextLength)
        {
            throw new InvalidContentException(new Dictionary<string, string> { ["Text"] = $"A comment can be at most {MaxTextLength} characters." });
        }

        return new ThreadMessage(by.UserId, by.DisplayName, at, text.Trim());
    }

    /// <summary>A guest (through a <see cref="ReviewLink"/>, which pins them to its version) may comment and reply, not resolve.</summary>
    private static void RequireParticipant(Actor by, bool guestMayJoin = false)
    {
        if (!by.Holds(Roles.Editor) && !by.Holds(Roles.Reviewer) && !(guestMayJoin && by.Holds(ReviewLink.GuestRole)))
        {
            throw new RefusedException("Only editors and reviewers take part in review comments.");
        }
    }
}

public sealed class ThreadMessage
{
    public ThreadMessage(string authorId, string authorName, DateTime at, string text)
    {
        AuthorId = authorId;
        AuthorName = authorName;
        At = at;
        Text = text;
    }

    public string AuthorId { get; private set; }

    public string AuthorName { get; private set; }

    public DateTime At { get; private set; }

    public string Text { get; private set; }
}
