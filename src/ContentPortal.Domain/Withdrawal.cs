namespace ContentPortal.Domain;

public enum WithdrawalStatus
{
    /// <summary>Set by a publisher: the scheduler runs it when due.</summary>
    Pending,
    Withdrawn,
    Cancelled,
    NotWithdrawn,

    /// <summary>Proposed by a reviewer at a periodic review: it runs only once a publisher confirms it.</summary>
    Proposed,
}

/// <summary>
/// A published document taken out of the feed at a set time (UTC), with a reason. When due, the scheduler
/// retires the document and publishes the current snapshot minus that one document, as the publisher who
/// set it: nothing else waiting to be published goes out with it, and the snapshot's note says so.
/// A reviewer may propose one at a periodic review (the Withdraw outcome); it waits for a publisher to
/// confirm it, because taking content out of the feed is a publish, and publishing is the publisher's duty.
/// </summary>
public sealed class Withdrawal : Aggregate
{
    public const int MaxReasonLength = 250;

    private Withdrawal()
    {
    }

    public Guid Id { get; private set; }

    public Guid DocumentId { get; private set; }

    /// <summary>The document's title when the withdrawal was set (lists show it without loading the document).</summary>
    public string Title { get; private set; } = "";

    public DateTime DueAt { get; private set; }

    public string Reason { get; private set; } = "";

    public DateTime SetAt { get; private set; }

    public string SetById { get; private set; } = "";

    public string SetByName { get; private set; } = "";

    public WithdrawalStatus Status { get; private set; }

    /// <summary>What happened: the snapshot it published, who cancelled it, or why it did not run.</summary>
    public string? Outcome { get; private set; }

    public int? SnapshotId { get; private set; }

    public DateTime? CompletedAt { get; private set; }

    /// <summary>The reviewer who proposed it at a periodic review, if one did.</summary>
    public string? ProposedById { get; private set; }

    public string? ProposedByName { get; private set; }

    public bool IsDue(DateTime now) => Status == WithdrawalStatus.Pending && DueAt <= now;

    /// <summary>Waiting: set and not yet run, or proposed and not yet confirmed. A document has one at most.</summary>
    public bool IsOpen => Status is WithdrawalStatus.Pending or WithdrawalStatus.Proposed;

    private string Subject => $"document:{DocumentId}";

    /// <summary>The problems with what a publisher typed, by field (WithdrawOn, Reason); none when it can be set.</summary>
    public static Dictionary<string, string> Problems(DateTime? dueAt, string? reason, DateTime now)
    {
        var errors = new Dictionary<string, string>();
        if (dueAt is null)
        {
            errors["WithdrawOn"] = "Pick the date and time to withdraw it.";
        }
        else if (dueAt <= now)
        {
            errors["WithdrawOn"] = "Pick a time in the future.";
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            errors["Reason"] = "Say why it is withdrawn; the feed's note carries it.";
        }
        else if (reason.Trim().Length > MaxReasonLength)
        {
            errors["Reason"] = $"Keep the reason under {MaxReasonLength} characters.";
        }

        return errors;
    }

    /// <summary>
    /// Sets a withdrawal of <paramref name="document"/>, which must be published and not retired, with no
    /// other withdrawal open (<paramref name="open"/>: the one the store holds, if any).
    /// </summary>
    public static Withdrawal Set(Document document, Withdrawal? open, Actor by, DateTime now, DateTime? dueAt, string? reason)
    {
        by.Require(Roles.Publisher, "withdraw a document");
        RequireWithdrawable(document, open);
        var withdrawal = New(document, dueAt, reason, now, WithdrawalStatus.Pending);
        withdrawal.SetById = by.UserId;
        withdrawal.SetByName = by.DisplayName;
        withdrawal.Audit(by, now, AuditActions.WithdrawalSet, withdrawal.Subject,
            $"Set \u201c{withdrawal.Title}\u201d to be withdrawn at {withdrawal.DueAt:yyyy-MM-ddTHH:mm:ssZ}: {withdrawal.Reason}");
        return withdrawal;
    }

    /// <summary>
    /// The Withdraw outcome of a periodic review of <paramref name="published"/>: a reviewer proposes the date
    /// and the reason; it runs only after a publisher confirms it (<see cref="Confirm"/>).
    /// </summary>
    public static Withdrawal Propose(Document document, DocumentVersion published, Withdrawal? open, Actor by, DateTime now, DateTime? dueAt, string? reason)
    {
        by.Require(Roles.Reviewer, "propose a withdrawal at a periodic review");
        RequireWithdrawable(document, open);
        if (document.PeriodicReviewVersion?.Id != published.Id)
        {
            throw new RefusedException($"Version {published.Number} is not the published version a periodic review keeps, so there is nothing to withdraw from here.");
        }

        var withdrawal = New(document, dueAt, reason, now, WithdrawalStatus.Proposed);
        withdrawal.ProposedById = by.UserId;
        withdrawal.ProposedByName = by.DisplayName;
        withdrawal.Audit(by, now, AuditActions.WithdrawalProposed, withdrawal.Subject,
            $"Proposed at the periodic review of version {published.Number} to withdraw \u201c{withdrawal.Title}\u201d at {withdrawal.DueAt:yyyy-MM-ddTHH:mm:ssZ}: {withdrawal.Reason}");
        return withdrawal;
    }

    /// <summary>A publisher confirms a reviewer's proposal: it then runs at its time, as them.</summary>
    public void Confirm(Actor by, DateTime at)
    {
        by.Require(Roles.Publisher, "confirm a withdrawal");
        if (Status != WithdrawalStatus.Proposed)
        {
            RequireOpen();
            throw new RefusedException("This withdrawal is confirmed already.");
        }

        if (DueAt <= at)
        {
            throw new RefusedException($"The proposed time ({DueAt:yyyy-MM-dd HH:mm} UTC) has passed: decline this proposal and set a withdrawal with a new date.");
        }

        Status = WithdrawalStatus.Pending;
        SetAt = at;
        SetById = by.UserId;
        SetByName = by.DisplayName;
        Audit(by, at, AuditActions.WithdrawalSet, Subject,
            $"Confirmed {ProposedByName}'s proposal to withdraw \u201c{Title}\u201d at {DueAt:yyyy-MM-ddTHH:mm:ssZ}: {Reason}");
    }

    /// <summary>
    /// The overdue policy's withdrawal (<see cref="OverdueAction.Withdraw"/>): set by <see cref="Actor.OverduePolicy"/>
    /// once the grace period after <paramref name="reviewDue"/> (the published version's) is over, due then, with
    /// the reason "review overdue"; the scheduler runs it at once (<see cref="Run"/>). A withdrawal a publisher
    /// set or a reviewer proposed for a later time is superseded (cancelled, saying so): the document leaves now.
    /// </summary>
    public static Withdrawal ForOverdue(Document document, Withdrawal? open, OverduePolicy policy, DateTime? reviewDue, DateTime now)
    {
        var title = document.Latest.Title;
        if (policy.WithdrawsAt(reviewDue) is not { } dueAt || dueAt > now)
        {
            throw new RefusedException($"\u201c{title}\u201d is not due to be withdrawn by the overdue policy.");
        }

        if (document.IsRetired || document.PublishedVersionId is null)
        {
            throw new RefusedException($"\u201c{title}\u201d is not in the feed, so the overdue policy has nothing to withdraw.");
        }

        var by = Actor.OverduePolicy;
        if (open is { IsOpen: true })
        {
            open.Outcome = $"Superseded: the overdue policy withdrew \u201c{open.Title}\u201d first.";
            open.Status = WithdrawalStatus.Cancelled;
            open.CompletedAt = now;
            open.Audit(by, now, AuditActions.WithdrawalCancelled, open.Subject,
                $"Cancelled the withdrawal of \u201c{open.Title}\u201d set for {open.DueAt:yyyy-MM-ddTHH:mm:ssZ}: the overdue policy withdraws it now");
        }

        var withdrawal = new Withdrawal
        {
            Id = Guid.NewGuid(),
            DocumentId = document.Id,
            Title = title,
            DueAt = dueAt,
            Reason = OverduePolicy.WithdrawReason,
            SetAt = now,
            Status = WithdrawalStatus.Pending,
            SetById = by.UserId,
            SetByName = by.DisplayName,
        };
        withdrawal.Audit(by, now, AuditActions.WithdrawalSet, withdrawal.Subject,
            $"The overdue policy set \u201c{title}\u201d to be withdrawn: review due {reviewDue:yyyy-MM-ddTHH:mm:ssZ}, {policy.GraceDays} days' grace over at {dueAt:yyyy-MM-ddTHH:mm:ssZ}: {OverduePolicy.WithdrawReason}");
        return withdrawal;
    }

    private static void RequireWithdrawable(Document document, Withdrawal? open)
    {
        var title = document.Latest.Title;
        if (document.IsRetired)
        {
            throw new RefusedException($"\u201c{title}\u201d is retired already; it leaves the feed with the next publish.");
        }

        if (document.PublishedVersionId is null)
        {
            throw new RefusedException($"\u201c{title}\u201d is not published, so there is nothing to withdraw.");
        }

        if (open is { Status: WithdrawalStatus.Pending })
        {
            throw new RefusedException($"\u201c{title}\u201d is set to be withdrawn on {open.DueAt:yyyy-MM-dd HH:mm} UTC already; cancel that first to change it.");
        }

        if (open is { Status: WithdrawalStatus.Proposed })
        {
            throw new RefusedException($"{open.ProposedByName} proposed withdrawing \u201c{title}\u201d on {open.DueAt:yyyy-MM-dd HH:mm} UTC; a publisher confirms or declines that first.");
        }
    }

    private static Withdrawal New(Document document, DateTime? dueAt, string? reason, DateTime now, WithdrawalStatus status)
    {
        if (dueAt is { Kind: not DateTimeKind.Utc })
        {
            throw new ArgumentException("Withdrawals are kept in UTC.", nameof(dueAt));
        }

        var errors = Problems(dueAt, reason, now);
        if (errors.Count > 0)
        {
            throw new InvalidContentException(errors);
        }

        return new Withdrawal
        {
            Id = Guid.NewGuid(),
            DocumentId = document.Id,
            Title = document.Latest.Title,
            DueAt = dueAt!.Value,
            Reason = reason!.Trim(),
            SetAt = now,
            Status = status,
        };
    }

    /// <summary>Cancels a set withdrawal, or declines a proposed one (publishers).</summary>
    public void Cancel(Actor by, DateTime at)
    {
        by.Require(Roles.Publisher, "cancel a withdrawal");
        RequireOpen();
        Outcome = Status == WithdrawalStatus.Proposed ? $"Declined by {by.DisplayName}." : $"Cancelled by {by.DisplayName}.";
        Status = WithdrawalStatus.Cancelled;
        CompletedAt = at;
        Audit(by, at, AuditActions.WithdrawalCancelled, Subject, $"Cancelled the withdrawal of \u201c{Title}\u201d set for {DueAt:yyyy-MM-ddTHH:mm:ssZ}");
    }

    /// <summary>
    /// Runs the withdrawal against the newest snapshot: retires the document (if not retired already) and
    /// returns the snapshot holding <paramref name="current"/> minus this one document, whatever else is
    /// waiting to be published. Returns null when the document is no longer in the feed (then
    /// <see cref="Outcome"/> says so).
    /// </summary>
    public Publication? Run(Document document, SnapshotContents? current, DateTime at)
    {
        if (document.Id != DocumentId)
        {
            throw new ArgumentException("This withdrawal is for another document.", nameof(document));
        }

        RequirePending();
        if (at < DueAt)
        {
            throw new RefusedException($"This withdrawal is set for {DueAt:u}; it is not due yet.");
        }

        CompletedAt = at;
        var publisher = new Actor(SetById, SetByName, new HashSet<string> { Roles.Publisher });
        if (!document.IsRetired)
        {
            document.Retire(publisher, at);
        }

        // Only this document leaves; found where the current manifest files it (by slug, or by id after a rename).
        var plan = SnapshotPlan.For(current, [new PendingEntry(document.Id, document.Kind, document.Slug, null, Published: true)]);
        if (!plan.HasChanges)
        {
            Status = WithdrawalStatus.NotWithdrawn;
            Outcome = $"Not run: \u201c{Title}\u201d was not in snapshot {plan.NextId - 1}; it is retired.";
            Audit(SetById, SetByName, at, AuditActions.WithdrawalNotRun, Subject, Outcome);
            return null;
        }

        var publication = Snapshot.Publish(plan, publisher, at, NoteFor(Title, Reason));
        Status = WithdrawalStatus.Withdrawn;
        SnapshotId = publication.Snapshot.Id;
        Outcome = $"Withdrawn in snapshot {SnapshotId}.";
        return publication;
    }

    /// <summary>The snapshot's note: the document, the reason, and that nothing else was published with it.</summary>
    public static string NoteFor(string title, string reason)
    {
        const string rest = " (Only this document changed: other approved changes wait for the next publish.)";
        var shortTitle = title.Length > 100 ? title[..99] + "\u2026" : title;
        return $"Withdrawn on schedule: \u201c{shortTitle}\u201d. {reason}{rest}";
    }

    private void RequirePending()
    {
        if (Status == WithdrawalStatus.Proposed)
        {
            throw new RefusedException("This withdrawal is only proposed; a publisher must confirm it first.");
        }

        RequireOpen();
    }

    private void RequireOpen()
    {
        if (!IsOpen)
        {
            throw new RefusedException(Status switch
            {
                WithdrawalStatus.Withdrawn => $"This withdrawal already ran (snapshot {SnapshotId}).",
                WithdrawalStatus.Cancelled => "This withdrawal was cancelled.",
                _ => "This withdrawal already ran; the document was not in the feed.",
            });
        }
    }
}
