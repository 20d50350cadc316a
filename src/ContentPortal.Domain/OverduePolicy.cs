namespace ContentPortal.Domain;

/// <summary>What the portal does with a published document whose clinical review is overdue (Content:OverdueAction).</summary>
public enum OverdueAction
{
    /// <summary>Show it on the dashboards and say so on its feed item (<c>reviewOverdue: true</c>).</summary>
    Flag,

    /// <summary>Flag it, then withdraw it <see cref="OverduePolicy.GraceDays"/> after its review fell due.</summary>
    Withdraw,
}

/// <summary>A published document whose clinical review is overdue, as the scheduler's round found it.</summary>
public sealed record OverdueDocument(Guid DocumentId, DocumentKind Kind, string Slug, string Title, DateTime ReviewDue);

/// <summary>
/// The overdue policy (issue 27): a published document whose review date has passed is flagged in the feed
/// through a new snapshot (a snapshot never changes, and its items are fixed bytes), and with
/// <see cref="OverdueAction.Withdraw"/> withdrawn <see cref="GraceDays"/> later. Its publishes are made by
/// <see cref="Actor.OverduePolicy"/>: they republish the current snapshot's own entries (never other approved
/// versions waiting to be published), so no signature or approval rule is involved.
/// </summary>
public sealed record OverduePolicy(OverdueAction Action = OverdueAction.Flag, int GraceDays = OverduePolicy.DefaultGraceDays)
{
    public const int DefaultGraceDays = 30;

    public const int MaxGraceDays = 3650;

    /// <summary>The withdrawal's reason, as the issue words it (the snapshot's note and the withdrawal carry it).</summary>
    public const string WithdrawReason = "review overdue";

    /// <summary>Overdue: the review date is at or before <paramref name="now"/> (none: never overdue).</summary>
    public static bool IsOverdue(DateTime? reviewDue, DateTime now) => reviewDue is { } due && due <= now;

    /// <summary>When the policy withdraws a document due for review at <paramref name="reviewDue"/> (null: it never does).</summary>
    public DateTime? WithdrawsAt(DateTime? reviewDue) =>
        Action == OverdueAction.Withdraw && reviewDue is { } due ? due.AddDays(GraceDays) : null;

    /// <summary>The grace period is over: the round withdraws the document.</summary>
    public bool Withdraws(DateTime? reviewDue, DateTime now) => WithdrawsAt(reviewDue) is { } at && at <= now;

    /// <summary>
    /// The policy from its two settings as typed in configuration (null: the default), or the problem with each,
    /// by setting name; start-up stops on a problem rather than run a policy nobody chose.
    /// </summary>
    public static OverduePolicy Parse(string? action, string? graceDays, out Dictionary<string, string> problems)
    {
        problems = [];
        var parsedAction = OverdueAction.Flag;
        if (!string.IsNullOrWhiteSpace(action)
            && (!Enum.TryParse(action.Trim(), ignoreCase: true, out parsedAction) || !Enum.IsDefined(parsedAction) || int.TryParse(action, out _)))
        {
            problems["Content:OverdueAction"] = $"Content:OverdueAction is '{action}'; use 'Flag' (the default) or 'Withdraw'.";
        }

        var days = DefaultGraceDays;
        if (!string.IsNullOrWhiteSpace(graceDays)
            && (!int.TryParse(graceDays.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out days) || days > MaxGraceDays))
        {
            problems["Content:OverdueGraceDays"] = $"Content:OverdueGraceDays is '{graceDays}'; use a whole number of days from 0 to {MaxGraceDays} (default {DefaultGraceDays}).";
        }

        return problems.Count == 0 ? new OverduePolicy(parsedAction, days) : new OverduePolicy();
    }

    /// <summary>
    /// One round's flagging: a snapshot of <paramref name="current"/> in which each of <paramref name="due"/>
    /// that it holds unflagged says its review is overdue, and nothing else changes (several documents falling
    /// due together go in one snapshot). Null when there is nothing to flag (not in the feed, or flagged already).
    /// </summary>
    public static Publication? Flag(SnapshotContents? current, IReadOnlyCollection<OverdueDocument> due, DateTime at)
    {
        if (current is null || due.Count == 0)
        {
            return null;
        }

        var manifest = FeedOrderedManifest.Of(current.Entries);
        var flagged = new List<(OverdueDocument Document, SnapshotEntry Entry)>();
        foreach (var document in due.DistinctBy(d => d.DocumentId))
        {
            // Published slugs never change, so the entry is filed where the document says.
            var index = manifest.IndexAt(document.DocumentId, document.Kind, document.Slug);
            if (index >= 0 && !manifest[index].ReviewOverdue)
            {
                flagged.Add((document, manifest[index]));
            }
        }

        if (flagged.Count == 0)
        {
            return null;
        }

        var pending = flagged.Select(f => new PendingEntry(f.Entry.DocumentId, f.Entry.Kind, f.Entry.Slug, f.Entry.FlaggedOverdue(), Published: true)).ToList();
        var plan = SnapshotPlan.For(current with { Entries = manifest }, pending);
        return Snapshot.Publish(plan, Actor.OverduePolicy, at, NoteFor(flagged.Select(f => f.Entry.Title).Order(StringComparer.Ordinal).ToList()));
    }

    /// <summary>The snapshot's note: why it was published ("review overdue: <titles>"), within the note's length.</summary>
    public static string NoteFor(IReadOnlyList<string> titles)
    {
        const string start = "Review overdue: ";
        const string end = " (Only these items changed: each now says its clinical review is overdue.)";
        var named = new List<string>();
        var length = start.Length + end.Length;
        foreach (var title in titles)
        {
            var quoted = $"\u201c{(title.Length > 80 ? title[..79] + "\u2026" : title)}\u201d";
            var more = titles.Count - named.Count - 1;
            // Room for this title and, if others follow, for "and N more".
            if (length + quoted.Length + 2 + (more > 0 ? 20 : 0) > Snapshot.MaxNoteLength)
            {
                named.Add($"and {titles.Count - named.Count} more");
                break;
            }

            named.Add(quoted);
            length += quoted.Length + 2;
        }

        return start + string.Join(", ", named) + end;
    }
}
