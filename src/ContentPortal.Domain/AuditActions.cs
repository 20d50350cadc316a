namespace ContentPortal.Domain;

/// <summary>
/// Every action name the audit trail uses, in one place. Stable dotted strings: auditors filter and
/// export by them, so a name never changes once entries carry it.
/// </summary>
public static class AuditActions
{
    public const string DocumentCreated = "document.created";
    public const string DocumentImported = "document.imported";
    public const string DocumentSlugChanged = "document.slug-changed";
    public const string DocumentReviewPeriodChanged = "document.review-period-changed";
    public const string DocumentRetired = "document.retired";
    public const string DocumentUnretired = "document.unretired";

    public const string VersionDraftOpened = "version.draft-opened";
    public const string VersionRestored = "version.restored";
    public const string VersionSaved = "version.saved";
    public const string VersionSubmitted = "version.submitted";
    public const string VersionClaimed = "version.claimed";
    public const string VersionReleased = "version.released";
    public const string VersionSigned = "version.signed";
    public const string VersionApproved = "version.approved";
    public const string VersionPeriodicReviewed = "version.periodic-reviewed";
    public const string VersionChangesRequested = "version.changes-requested";
    public const string SignatureRefused = "signature.refused";

    public const string CommentAdded = "comment.added";
    public const string CommentReplied = "comment.replied";
    public const string CommentResolved = "comment.resolved";
    public const string CommentReopened = "comment.reopened";

    public const string ReviewLinkCreated = "review-link.created";
    public const string ReviewLinkViewed = "review-link.viewed";
    public const string ReviewLinkCommented = "review-link.commented";
    public const string ReviewLinkRevoked = "review-link.revoked";

    public const string FeedbackReceived = "feedback.received";
    public const string FeedbackActioned = "feedback.actioned";
    public const string FeedbackDismissed = "feedback.dismissed";

    public const string SnapshotPublished = "snapshot.published";
    public const string ScheduleCreated = "schedule.created";
    public const string ScheduleCancelled = "schedule.cancelled";
    public const string ScheduleNotPublished = "schedule.not-published";
    public const string WithdrawalSet = "withdrawal.set";
    public const string WithdrawalProposed = "withdrawal.proposed";
    public const string WithdrawalCancelled = "withdrawal.cancelled";
    public const string WithdrawalNotRun = "withdrawal.not-run";

    public const string WebhookSubscribed = "webhook.subscribed";
    public const string WebhookPaused = "webhook.paused";
    public const string WebhookResumed = "webhook.resumed";
    public const string WebhookRedelivered = "webhook.redelivered";

    public const string LoginSucceeded = "login.succeeded";
    public const string LoginFailed = "login.failed";
    public const string LoginRefused = "login.refused";
    public const string Logout = "logout";
    public const string UserCreated = "user.created";
    public const string UserRolesChanged = "user.roles-changed";
    public const string UserDisabled = "user.disabled";
    public const string UserEnabled = "user.enabled";
    public const string UserUnlocked = "user.unlocked";
    public const string UserPasswordReset = "user.password-reset";
    public const string UserPasswordChanged = "user.password-changed";
    public const string UserChangeRequested = "user.change-requested";
    public const string UserChangeApproved = "user.change-approved";
    public const string UserChangeCancelled = "user.change-cancelled";
}

/// <summary>
/// A thing whose rules change state (a document, a version, a snapshot, …). Each rule that changes
/// something records what happened; the store writes those records into the audit chain in the same
/// save as the change, so the trail and the data never disagree.
/// </summary>
public abstract class Aggregate
{
    private readonly List<AuditRecord> _auditEvents = [];

    /// <summary>What happened since the last save, oldest first.</summary>
    public IReadOnlyList<AuditRecord> AuditEvents => _auditEvents;

    /// <summary>Called by the store once the records are safely chained.</summary>
    public void ClearAuditEvents() => _auditEvents.Clear();

    private protected void Audit(Actor by, DateTime at, string action, string subject, string details) =>
        Audit(by.UserId, by.DisplayName, at, action, subject, details);

    private protected void Audit(string actorId, string actorName, DateTime at, string action, string subject, string details) =>
        _auditEvents.Add(new AuditRecord(at, actorId, actorName, action, subject, details));
}
