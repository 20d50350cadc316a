namespace ContentPortal.Domain;

/// <summary>Where a reader's feedback stands in the editors' queue.</summary>
public enum FeedbackStatus
{
    New,
    Actioned,
    Dismissed,
}

/// <summary>
/// "Was this helpful?" from a reader of a published document, sent by a downstream app (the NHS content
/// standard and PIF TICK criterion 8: invite feedback and act on it). Nothing about the sender is kept.
/// Editors action it (optionally by opening a draft with the feedback as a comment thread) or dismiss it.
/// </summary>
public sealed class ReaderFeedback : Aggregate
{
    public const int MaxCommentLength = 1000;
    public const int MaxSectionLength = 200;

    /// <summary>Who receives feedback in the audit trail: the public API, not a person.</summary>
    public static readonly Actor Readers = new("system:reader-feedback", "Reader feedback API", new HashSet<string>());

    private ReaderFeedback()
    {
    }

    public Guid Id { get; private set; }

    public Guid DocumentId { get; private set; }

    public string Slug { get; private set; } = "";

    /// <summary>The snapshot the reader saw, when the app said.</summary>
    public int? SnapshotId { get; private set; }

    public bool Helpful { get; private set; }

    public string? Comment { get; private set; }

    /// <summary>The heading of the part the reader means, when the app said.</summary>
    public string? Section { get; private set; }

    public DateTime ReceivedAt { get; private set; }

    public FeedbackStatus Status { get; private set; }

    public DateTime? DecidedAt { get; private set; }

    public string? DecidedByName { get; private set; }

    /// <summary>The comment thread the feedback was attached to, on the draft an editor opened for it.</summary>
    public Guid? ThreadId { get; private set; }

    private string Subject => $"document:{DocumentId}";

    public static ReaderFeedback Receive(Guid documentId, string slug, int? snapshotId, bool helpful, string? comment, string? section, DateTime at)
    {
        var errors = new Dictionary<string, string>();
        var text = Optional(comment);
        var part = Optional(section);
        if (text is { Length: > MaxCommentLength })
        {
            errors["comment"] = $"A comment can be at most {MaxCommentLength} characters.";
        }

        if (part is { Length: > MaxSectionLength })
        {
            errors["section"] = $"A section can be at most {MaxSectionLength} characters.";
        }

        if (snapshotId is <= 0)
        {
            errors["snapshotId"] = "A snapshot id is a positive whole number.";
        }

        if (errors.Count > 0)
        {
            throw new InvalidContentException(errors);
        }

        var feedback = new ReaderFeedback
        {
            Id = Guid.NewGuid(),
            DocumentId = documentId,
            Slug = slug,
            SnapshotId = snapshotId,
            Helpful = helpful,
            Comment = text,
            Section = part,
            ReceivedAt = at,
            Status = FeedbackStatus.New,
        };
        // The reader's words stay in the feedback row, not in the append-only trail.
        feedback.Audit(Readers, at, AuditActions.FeedbackReceived, feedback.Subject,
            $"Reader feedback on {slug}: {(helpful ? "helpful" : "not helpful")}{(text is null ? "" : ", with a comment")}");
        return feedback;
    }

    public void MarkActioned(Actor by, DateTime at) => Decide(by, at, FeedbackStatus.Actioned, "Marked as actioned");

    public void Dismiss(Actor by, DateTime at) => Decide(by, at, FeedbackStatus.Dismissed, "Dismissed");

    /// <summary>The text of the comment thread an editor opens for this feedback on a draft.</summary>
    public string ThreadText =>
        $"Reader feedback ({(Helpful ? "helpful" : "not helpful")}{(Section is null ? "" : $", section \"{Section}\"")}, received {ReceivedAt:yyyy-MM-dd HH:mm} UTC): {Comment ?? "no comment"}";

    /// <summary>Starts a comment thread on <paramref name="draft"/> carrying this feedback, and marks it actioned.</summary>
    public ReviewThread AttachTo(DocumentVersion draft, Actor by, DateTime at)
    {
        RequireNew(by);
        if (draft.DocumentId != DocumentId || draft.Status != VersionStatus.Draft)
        {
            throw new RefusedException("Feedback is attached to a draft of its own document.");
        }

        var thread = ReviewThread.Start(draft, null, null, ThreadText, by, at);
        ThreadId = thread.Id;
        Decide(by, at, FeedbackStatus.Actioned, $"Attached to draft version {draft.Number} as a comment thread");
        return thread;
    }

    private void Decide(Actor by, DateTime at, FeedbackStatus to, string what)
    {
        RequireNew(by);
        Status = to;
        DecidedAt = at;
        DecidedByName = by.DisplayName;
        Audit(by, at, to == FeedbackStatus.Dismissed ? AuditActions.FeedbackDismissed : AuditActions.FeedbackActioned, Subject, $"{what}: reader feedback on {Slug} received {ReceivedAt:yyyy-MM-dd HH:mm} UTC");
    }

    private void RequireNew(Actor by)
    {
        by.Require(Roles.Editor, "act on reader feedback");
        if (Status != FeedbackStatus.New)
        {
            throw new RefusedException($"This feedback was already {(Status == FeedbackStatus.Dismissed ? "dismissed" : "actioned")} by {DecidedByName}.");
        }
    }

    private static string? Optional(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
