namespace ContentPortal.Domain;

public enum ScheduleStatus
{
    Pending,
    Published,
    Cancelled,
    NotPublished,
}

/// <summary>One version a scheduled publish will release, as the publisher saw it when scheduling.</summary>
public sealed class ScheduledEntry
{
    public ScheduledEntry(Guid documentId, Guid versionId, int versionNumber, string title)
    {
        DocumentId = documentId;
        VersionId = versionId;
        VersionNumber = versionNumber;
        Title = title;
    }

    public Guid DocumentId { get; private set; }

    public Guid VersionId { get; private set; }

    public int VersionNumber { get; private set; }

    public string Title { get; private set; }
}

/// <summary>
/// A publish at a future time (UTC). It releases exactly what the publisher saw when scheduling: if,
/// when it is due, the content that would be published is not the same (a version no longer approved,
/// a document retired, a newer version approved), nothing is published and the reasons are recorded.
/// </summary>
public sealed class ScheduledPublish : Aggregate
{
    private readonly List<ScheduledEntry> _entries = [];

    private ScheduledPublish()
    {
    }

    public Guid Id { get; private set; }

    public DateTime DueAt { get; private set; }

    public string Note { get; private set; } = "";

    public DateTime ScheduledAt { get; private set; }

    public string ScheduledById { get; private set; } = "";

    public string ScheduledByName { get; private set; } = "";

    public IReadOnlyList<ScheduledEntry> Entries => _entries;

    private string Subject => $"schedule:{Id}";

    public ScheduleStatus Status { get; private set; }

    /// <summary>What happened: the snapshot it published, who cancelled it, or why it was not published.</summary>
    public string? Outcome { get; private set; }

    public int? SnapshotId { get; private set; }

    public DateTime? CompletedAt { get; private set; }

    public bool IsDue(DateTime now) => Status == ScheduleStatus.Pending && DueAt <= now;

    public static ScheduledPublish Create(SnapshotPlan plan, Actor by, DateTime now, DateTime dueAt, string? note)
    {
        by.Require(Roles.Publisher, "schedule a publish");
        var errors = new Dictionary<string, string>();
        if (dueAt.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException("Schedules are kept in UTC.", nameof(dueAt));
        }

        if (dueAt <= now)
        {
            errors["PublishAt"] = "Pick a time in the future.";
        }

        if (Snapshot.NoteProblem(note) is { } noteProblem)
        {
            errors["Note"] = noteProblem;
        }

        if (errors.Count > 0)
        {
            throw new InvalidContentException(errors);
        }

        if (!plan.HasChanges)
        {
            throw new RefusedException("Nothing new has been approved since the current snapshot, so there is nothing to schedule.");
        }

        var schedule = new ScheduledPublish
        {
            Id = Guid.NewGuid(),
            DueAt = dueAt,
            Note = note!.Trim(),
            ScheduledAt = now,
            ScheduledById = by.UserId,
            ScheduledByName = by.DisplayName,
            Status = ScheduleStatus.Pending,
        };
        schedule._entries.AddRange(plan.Entries.Select(e => new ScheduledEntry(e.DocumentId, e.VersionId, e.VersionNumber, e.Title)));
        schedule.Audit(by, now, AuditActions.ScheduleCreated, schedule.Subject,
            $"Scheduled a publish of {schedule._entries.Count} documents at {schedule.DueAt:yyyy-MM-ddTHH:mm:ssZ}: {schedule.Note}");
        return schedule;
    }

    public void Cancel(Actor by, DateTime at)
    {
        by.Require(Roles.Publisher, "cancel a scheduled publish");
        RequirePending();
        Status = ScheduleStatus.Cancelled;
        Outcome = $"Cancelled by {by.DisplayName}.";
        CompletedAt = at;
        Audit(by, at, AuditActions.ScheduleCancelled, Subject, $"Cancelled the publish scheduled for {DueAt:yyyy-MM-ddTHH:mm:ssZ}");
    }

    /// <summary>
    /// Runs the schedule against what would be published now. Returns the snapshot to store, or null
    /// when the content is no longer what was scheduled (then <see cref="Outcome"/> says why).
    /// </summary>
    public Publication? Run(SnapshotPlan now, DateTime at)
    {
        RequirePending();
        if (at < DueAt)
        {
            throw new RefusedException($"This publish is scheduled for {DueAt:u}; it is not due yet.");
        }

        CompletedAt = at;
        var problems = Differences(now);
        if (problems.Count == 0 && !now.HasChanges)
        {
            problems.Add($"Snapshot {now.NextId - 1} already holds exactly this content.");
        }

        if (problems.Count > 0)
        {
            Status = ScheduleStatus.NotPublished;
            Outcome = "Not published: " + string.Join(" ", problems);
            // The scheduler acts for the publisher who scheduled it; the published case is the snapshot's own line.
            Audit(ScheduledById, ScheduledByName, at, AuditActions.ScheduleNotPublished, Subject, Outcome);
            return null;
        }

        var publisher = new Actor(ScheduledById, ScheduledByName, new HashSet<string> { Roles.Publisher });
        var publication = Snapshot.Publish(now, publisher, at, Note);
        Status = ScheduleStatus.Published;
        SnapshotId = publication.Snapshot.Id;
        Outcome = $"Published as snapshot {SnapshotId}.";
        return publication;
    }

    private List<string> Differences(SnapshotPlan now)
    {
        var planned = now.Entries.ToDictionary(e => e.DocumentId);
        var problems = new List<string>();
        foreach (var scheduled in _entries)
        {
            if (!planned.Remove(scheduled.DocumentId, out var entry))
            {
                problems.Add($"\u201c{scheduled.Title}\u201d version {scheduled.VersionNumber} is no longer approved for publishing (retired or its approval withdrawn).");
            }
            else if (entry.VersionId != scheduled.VersionId)
            {
                problems.Add($"\u201c{scheduled.Title}\u201d changed after scheduling: version {entry.VersionNumber} would be published instead of version {scheduled.VersionNumber}.");
            }
        }

        problems.AddRange(planned.Values.Select(e => $"\u201c{e.Title}\u201d version {e.VersionNumber} was approved or un-retired after scheduling."));
        return problems;
    }

    private void RequirePending()
    {
        if (Status != ScheduleStatus.Pending)
        {
            throw new RefusedException(Status switch
            {
                ScheduleStatus.Published => $"This scheduled publish already ran (snapshot {SnapshotId}).",
                ScheduleStatus.Cancelled => "This scheduled publish was cancelled.",
                _ => "This scheduled publish already ran and was not published.",
            });
        }
    }
}
