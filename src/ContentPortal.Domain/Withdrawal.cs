namespace ContentPortal.Domain;

public enum WithdrawalStatus
{
    Pending,
    Withdrawn,
    Cancelled,
    NotWithdrawn,
}

/// <summary>
/// A published document taken out of the feed at a set time (UTC), with a reason. When due, the scheduler
/// retires the document and publishes the current snapshot minus that one document, as the publisher who
/// set it: nothing else waiting to be published goes out with it, and the snapshot's note says so.
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

    public bool IsDue(DateTime now) => Status == WithdrawalStatus.Pending && DueAt <= now;

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
    /// other withdrawal pending (<paramref name="pending"/>: the one the store holds, if any).
    /// </summary>
    public static Withdrawal Set(Document document, Withdrawal? pending, Actor by, DateTime now, DateTime? dueAt, string? reason)
    {
        by.Require(Roles.Publisher, "withdraw a document");
        if (dueAt is { Kind: not DateTimeKind.Utc })
        {
            throw new ArgumentException("Withdrawals are kept in UTC.", nameof(dueAt));
        }

        var title = document.Latest.Title;
        if (document.IsRetired)
        {
            throw new RefusedException($"\u201c{title}\u201d is retired already; it leaves the feed with the next publish.");
        }

        if (document.PublishedVersionId is null)
        {
            throw new RefusedException($"\u201c{title}\u201d is not published, so there is nothing to withdraw.");
        }

        if (pending is { Status: WithdrawalStatus.Pending })
        {
            throw new RefusedException($"\u201c{title}\u201d is set to be withdrawn on {pending.DueAt:yyyy-MM-dd HH:mm} UTC already; cancel that first to change it.");
        }

        var errors = Problems(dueAt, reason, now);
        if (errors.Count > 0)
        {
            throw new InvalidContentException(errors);
        }

        var withdrawal = new Withdrawal
        {
            Id = Guid.NewGuid(),
            DocumentId = document.Id,
            Title = title,
            DueAt = dueAt!.Value,
            Reason = reason!.Trim(),
            SetAt = now,
            SetById = by.UserId,
            SetByName = by.DisplayName,
            Status = WithdrawalStatus.Pending,
        };
        withdrawal.Audit(by, now, AuditActions.WithdrawalSet, withdrawal.Subject,
            $"Set \u201c{title}\u201d to be withdrawn at {withdrawal.DueAt:yyyy-MM-ddTHH:mm:ssZ}: {withdrawal.Reason}");
        return withdrawal;
    }

    public void Cancel(Actor by, DateTime at)
    {
        by.Require(Roles.Publisher, "cancel a withdrawal");
        RequirePending();
        Status = WithdrawalStatus.Cancelled;
        Outcome = $"Cancelled by {by.DisplayName}.";
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
        if (Status != WithdrawalStatus.Pending)
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
