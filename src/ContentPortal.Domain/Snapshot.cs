using System.Security.Cryptography;

namespace ContentPortal.Domain;

/// <summary>Which version of which document a snapshot holds.</summary>
public sealed class SnapshotEntry
{
    public SnapshotEntry(Guid documentId, Guid versionId, int versionNumber, DocumentKind kind, string slug, string title, int periodicReviews = 0, bool reviewOverdue = false)
    {
        PeriodicReviews = periodicReviews;
        ReviewOverdue = reviewOverdue;
        DocumentId = documentId;
        VersionId = versionId;
        VersionNumber = versionNumber;
        Kind = kind;
        Slug = slug;
        Title = title;
    }

    public Guid DocumentId { get; private set; }

    public Guid VersionId { get; private set; }

    public int VersionNumber { get; private set; }

    public DocumentKind Kind { get; private set; }

    public string Slug { get; private set; }

    public string Title { get; private set; }

    /// <summary>The version's completed periodic reviews when published: a new one is a new item (new dates and signatures), the same version.</summary>
    public int PeriodicReviews { get; private set; }

    /// <summary>
    /// The item says its clinical review is overdue (<see cref="OverduePolicy"/>): a different item (bytes and
    /// rendition) from the same version unflagged. It stays set in later snapshots until a periodic review or a
    /// new version moves the review date forward.
    /// </summary>
    public bool ReviewOverdue { get; private set; }

    /// <summary>This entry with its item saying the review is overdue (the overdue policy's snapshot).</summary>
    public SnapshotEntry FlaggedOverdue() => new(DocumentId, VersionId, VersionNumber, Kind, Slug, Title, PeriodicReviews, reviewOverdue: true);

    /// <summary>Same version and periodic reviews, but the overdue flag turned on or off since <paramref name="before"/>.</summary>
    public bool FlaggedSince(SnapshotEntry before) => VersionId == before.VersionId && PeriodicReviews == before.PeriodicReviews && ReviewOverdue != before.ReviewOverdue;

    /// <summary>Same version, but a periodic review kept it since <paramref name="before"/>: the feed item changes, the content does not.</summary>
    public bool ReviewedSince(SnapshotEntry before) => VersionId == before.VersionId && PeriodicReviews != before.PeriodicReviews;

    /// <summary>Same document, version and words: the stored row (and the feed item) can stay as it is.</summary>
    public bool SameAs(SnapshotEntry other) =>
        DocumentId == other.DocumentId && VersionId == other.VersionId && VersionNumber == other.VersionNumber && Kind == other.Kind && PeriodicReviews == other.PeriodicReviews
        && ReviewOverdue == other.ReviewOverdue && string.Equals(Slug, other.Slug, StringComparison.Ordinal) && string.Equals(Title, other.Title, StringComparison.Ordinal);
}

/// <summary>
/// How a stored manifest moves from one snapshot to the next: a row lasts from the snapshot that wrote it
/// until one that changes or removes its document, so a publish writes only the entries that differ and
/// closes the rows of the documents they replace or drop.
/// </summary>
public static class ManifestChange
{
    public static (IReadOnlyList<SnapshotEntry> Written, IReadOnlyList<Guid> Closed) Between(IEnumerable<SnapshotEntry> previous, IEnumerable<SnapshotEntry> next)
    {
        var before = previous.ToDictionary(e => e.DocumentId);
        var written = new List<SnapshotEntry>();
        var closed = new List<Guid>();
        var kept = new HashSet<Guid>();
        foreach (var entry in next)
        {
            if (!kept.Add(entry.DocumentId))
            {
                throw new InvalidOperationException($"Document {entry.DocumentId} is in the manifest twice.");
            }

            if (before.TryGetValue(entry.DocumentId, out var old))
            {
                if (old.SameAs(entry))
                {
                    continue;
                }

                closed.Add(entry.DocumentId);
            }

            written.Add(entry);
        }

        closed.AddRange(before.Keys.Where(id => !kept.Contains(id)));
        return (written, closed);
    }
}

public enum EntryChange
{
    Added,
    Changed,
    Removed,

    /// <summary>The same version, kept at a periodic review: new review dates and signatures, the same content.</summary>
    Reviewed,

    /// <summary>The same version, its item now saying the review is overdue (the overdue policy); content unchanged.</summary>
    Overdue,
}

public sealed record PlannedChange(EntryChange Change, SnapshotEntry Entry, int? PreviousVersion);

/// <summary>A snapshot's id and entries without its feed bytes: all planning needs (the bytes can be many MB).</summary>
public sealed record SnapshotContents(int Id, IReadOnlyList<SnapshotEntry> Entries)
{
    public static implicit operator SnapshotContents?(Publication? publication) => publication?.Contents;
}

/// <summary>What the next snapshot would hold, and how it differs from the current one.</summary>
public sealed record SnapshotPlan(int NextId, IReadOnlyList<SnapshotEntry> Entries, IReadOnlyList<PlannedChange> Changes)
{
    public bool HasChanges => Changes.Count > 0;

    /// <summary>Set when the plan brings back an earlier snapshot's content (a roll back).</summary>
    public int? RepublishOf { get; init; }

    /// <summary>The changes in a few characters: what a Publish page showed is posted back as this.</summary>
    public string Fingerprint => FingerprintOf(Changes);

    /// <summary>
    /// Order-free digest of (change, document, version). The Publish page computes it from the listing
    /// columns, the publish from the manifest; both agree while nothing has changed in between.
    /// </summary>
    public static string FingerprintOf(IEnumerable<PlannedChange> changes)
    {
        var lines = changes.Select(c => $"{c.Change}:{c.Entry.DocumentId:N}:{c.Entry.VersionId:N}").Order(StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines))))[..32];
    }

    /// <summary>
    /// Publishing binds to what the publisher saw: a plan that changed after the page was shown (approved,
    /// retired or published meanwhile) is refused, so nothing unseen is released.
    /// </summary>
    public void RefuseUnlessShown(string? shownFingerprint)
    {
        if (string.IsNullOrEmpty(shownFingerprint))
        {
            throw new RefusedException("This publish did not say which changes you were shown, so nothing was published. Reload the Publish page, check the changes and publish again.");
        }

        if (!string.Equals(shownFingerprint, Fingerprint, StringComparison.Ordinal))
        {
            throw new RefusedException("What would be published changed after this page was shown (a document was approved, retired or published meanwhile), so nothing was published. Check the changes listed now and publish again.");
        }
    }

    /// <summary>
    /// For each document that is not retired, its latest approved version; compared entry by entry
    /// with the current snapshot (a retired document shows as removed).
    /// </summary>
    public static SnapshotPlan For(SnapshotContents? current, IEnumerable<Document> documents)
    {
        var entries = documents
            .Where(d => !d.IsRetired)
            .Select(d => (Document: d, Version: d.LatestApproved))
            .Where(x => x.Version is not null)
            .Select(x => new SnapshotEntry(x.Document.Id, x.Version!.Id, x.Version.Number, x.Document.Kind, x.Document.Slug, x.Version.Title, x.Version.PeriodicReviews));
        return Compare(current, entries);
    }

    /// <summary>
    /// The same plan from what a query already picked: each live document's latest approved version as an
    /// entry (so publishing never loads whole documents with all their versions).
    /// </summary>
    public static SnapshotPlan For(SnapshotContents? current, IEnumerable<SnapshotEntry> latestApproved) =>
        Compare(current, latestApproved);

    /// <summary>
    /// Roll back: the next snapshot holds what <paramref name="earlier"/> held, under a new id (ids only
    /// ever increase). Documents retired since are left out; un-retire them first to bring them back.
    /// </summary>
    public static SnapshotPlan Republish(SnapshotContents current, SnapshotContents earlier, IReadOnlySet<Guid> retiredDocumentIds)
    {
        if (earlier.Id >= current.Id)
        {
            throw new RefusedException($"Snapshot {earlier.Id} is the current snapshot; republish an earlier one.");
        }

        var entries = earlier.Entries
            .Where(e => !retiredDocumentIds.Contains(e.DocumentId))
            .Select(e => new SnapshotEntry(e.DocumentId, e.VersionId, e.VersionNumber, e.Kind, e.Slug, e.Title, e.PeriodicReviews, e.ReviewOverdue));
        return Compare(current, entries) with { RepublishOf = earlier.Id };
    }

    /// <summary>The feed's order: articles, then red-flag lists, each by slug (ordinal, as the feed promises its consumers).</summary>
    public static readonly Comparer<SnapshotEntry> FeedOrder = Comparer<SnapshotEntry>.Create((a, b) =>
    {
        var kind = a.Kind.CompareTo(b.Kind);
        return kind != 0 ? kind : string.CompareOrdinal(a.Slug, b.Slug);
    });

    /// <summary>True when <paramref name="entries"/> are in <see cref="FeedOrder"/> already (one pass, no sort).</summary>
    public static bool IsInFeedOrder<T>(IReadOnlyList<T> entries, Func<T, SnapshotEntry> entry)
    {
        for (var i = 1; i < entries.Count; i++)
        {
            if (FeedOrder.Compare(entry(entries[i - 1]), entry(entries[i])) > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The plan as an edit of the current manifest by the documents the store marks pending: it costs the
    /// change, not the corpus (the rest of the manifest is copied as references, in place).
    /// </summary>
    public static SnapshotPlan For(SnapshotContents? current, IReadOnlyCollection<PendingEntry> pending)
    {
        var edit = ManifestEdit.Apply(current?.Entries ?? FeedOrderedManifest.None, pending);
        return new SnapshotPlan((current?.Id ?? 0) + 1, edit.Entries, edit.Changes()) { Edit = edit };
    }

    /// <summary>How <see cref="Entries"/> was made from the current manifest, when the plan is such an edit.</summary>
    public ManifestEdit? Edit { get; init; }

    private static SnapshotPlan Compare(SnapshotContents? current, IEnumerable<SnapshotEntry> next)
    {
        // Sorted only when not in feed order already (a stable sort, as before).
        var entries = FeedOrderedManifest.Of(next);

        var before = (current?.Entries ?? []).ToDictionary(e => e.DocumentId);
        var changes = new List<PlannedChange>();
        foreach (var entry in entries)
        {
            if (!before.Remove(entry.DocumentId, out var old))
            {
                changes.Add(new PlannedChange(EntryChange.Added, entry, null));
            }
            else if (old.VersionId != entry.VersionId)
            {
                changes.Add(new PlannedChange(EntryChange.Changed, entry, old.VersionNumber));
            }
            else if (entry.ReviewedSince(old))
            {
                changes.Add(new PlannedChange(EntryChange.Reviewed, entry, old.VersionNumber));
            }
            else if (entry.FlaggedSince(old))
            {
                changes.Add(new PlannedChange(EntryChange.Overdue, entry, old.VersionNumber));
            }
        }

        changes.AddRange(before.Values.Select(old => new PlannedChange(EntryChange.Removed, old, old.VersionNumber)));
        return new SnapshotPlan((current?.Id ?? 0) + 1, entries, changes);
    }
}

/// <summary>
/// A numbered, immutable release of the approved content. Its feed bytes are built once, when it
/// is published, so every consumer reads exactly the same thing.
/// </summary>
public sealed class Snapshot : Aggregate
{
    private readonly List<SnapshotEntry> _entries = [];

    private Snapshot()
    {
    }

    public int Id { get; private set; }

    public DateTime PublishedAt { get; private set; }

    public string PublishedById { get; private set; } = "";

    public string PublishedByName { get; private set; } = "";

    public string Note { get; private set; } = "";

    /// <summary>The earlier snapshot whose content this one brought back, when it was a roll back.</summary>
    public int? RepublishedFromId { get; private set; }

    /// <summary>
    /// The stored manifest rows, mapped so the store can query them (Publishing/ManifestStore.cs); never
    /// loaded with the snapshot, whose size is <see cref="DocumentCount"/>. The manifest of a snapshot being
    /// published is its <see cref="Publication.Entries"/>.
    /// </summary>
    public IReadOnlyList<SnapshotEntry> Entries => _entries;

    /// <summary>How many changed documents the audit line names; the rest are counted.</summary>
    public const int AuditedChanges = 50;

    /// <summary>How many documents the snapshot holds (its entries), stored so lists of snapshots never count manifests.</summary>
    public int DocumentCount { get; private set; }

    /// <summary>
    /// Strong validator of the feed's exact bytes, quoted as HTTP wants it: fixed when the snapshot is sealed.
    /// The feed layer computes it (from the bytes, or from a digest of the header and each item's bytes).
    /// </summary>
    public string ETag { get; private set; } = "";

    public const int MaxNoteLength = 500;

    /// <summary>The note is required: consumers read it to learn what changed and why.</summary>
    public static string? NoteProblem(string? note) =>
        string.IsNullOrWhiteSpace(note) ? "Write a note saying what changed; consumers of the feed read it."
        : note.Trim().Length > MaxNoteLength ? $"Keep the note under {MaxNoteLength} characters."
        : null;

    /// <summary>A new snapshot of <paramref name="plan"/>, with what only its publish knows (<see cref="Publication"/>).</summary>
    public static Publication Publish(SnapshotPlan plan, Actor by, DateTime at, string? note)
    {
        by.Require(Roles.Publisher, "publish");
        if (!plan.HasChanges)
        {
            throw new RefusedException(plan.RepublishOf is { } earlier
                ? $"Snapshot {earlier} holds the same content as the current snapshot {plan.NextId - 1}, so there is nothing to republish."
                : plan.NextId == 1
                ? "Nothing has been approved yet, so there is nothing to publish."
                : $"Nothing new has been approved since snapshot {plan.NextId - 1}, so there is nothing to publish.");
        }

        if (NoteProblem(note) is { } problem)
        {
            throw new InvalidContentException(new Dictionary<string, string> { ["Note"] = problem });
        }

        var snapshot = new Snapshot
        {
            Id = plan.NextId,
            PublishedAt = at,
            PublishedById = by.UserId,
            PublishedByName = by.DisplayName,
            Note = note!.Trim(),
            RepublishedFromId = plan.RepublishOf,
        };
        snapshot.DocumentCount = plan.Entries.Count;
        return new Publication(snapshot, plan);
    }

    /// <summary>The feed's validator formula, used for every response it serves: the first 128 bits of SHA-256, quoted.</summary>
    public static string StrongETag(ReadOnlySpan<byte> bytes) => StrongETagOfDigest(SHA256.HashData(bytes));

    /// <summary>The validator formula over a SHA-256 digest already computed.</summary>
    public static string StrongETagOfDigest(ReadOnlySpan<byte> sha256) => $"\"{Convert.ToHexStringLower(sha256[..16])}\"";

    public static bool IsStrongETag(string? etag) =>
        etag is { Length: 34 } && etag[0] == '"' && etag[33] == '"' && etag.AsSpan(1, 32).IndexOfAnyExcept("0123456789abcdef") < 0;

    /// <summary>
    /// The audit chain's newest entry when this snapshot was prepared (null for snapshots published before
    /// it was recorded). Written into the feed header, so every consumer holds a copy of the chain's head:
    /// a trail later truncated or rehashed no longer matches what the consumers were sent.
    /// </summary>
    public long? AuditHeadSequence { get; private set; }

    public string? AuditHeadHash { get; private set; }

    /// <summary>When the head was signed (ES256, issue 25), by which key, and the detached JWS over <see cref="AuditHead.Message"/>.</summary>
    public DateTime? AuditHeadSignedAt { get; private set; }

    public string? AuditHeadKeyId { get; private set; }

    public string? AuditHeadSignature { get; private set; }

    /// <summary>
    /// The head was filled in at the upgrade to signed heads (issue 25) for a snapshot published before heads
    /// were recorded: kept for verify, never written into the feed, whose sealed bytes did not carry it.
    /// </summary>
    public bool AuditHeadBackfilled { get; private set; }

    /// <summary>Records the chain head before sealing (the head is in the sealed bytes).</summary>
    public void AnchorTo(long sequence, string hash, DateTime signedAt, string keyId, Func<string, string> sign)
    {
        AnchorTo(sequence, hash);
        AuditHeadSignedAt = AuditHead.Stored(signedAt);
        AuditHeadKeyId = keyId;
        AuditHeadSignature = sign(AuditHead.Message(sequence, hash, AuditHeadSignedAt.Value));
    }

    /// <summary>Records an unsigned chain head (snapshots of before issue 25, backfilled at upgrade).</summary>
    public void AnchorTo(long sequence, string hash)
    {
        if (ETag.Length > 0)
        {
            throw new RefusedException($"Snapshot {Id} is already sealed; published snapshots never change.");
        }

        if (sequence < 0 || string.IsNullOrEmpty(hash))
        {
            throw new ArgumentException("An audit chain head has a sequence and a hash.");
        }

        AuditHeadSequence = sequence;
        AuditHeadHash = hash;
    }

    /// <summary>
    /// Fixes the feed's validator, once (through <see cref="Publication.Seal"/>, which knows what changed).
    /// A sealed snapshot never changes again.
    /// </summary>
    internal void Seal(string etag, IReadOnlyList<PlannedChange> changes)
    {
        if (ETag.Length > 0)
        {
            throw new RefusedException($"Snapshot {Id} is already sealed; published snapshots never change.");
        }

        if (!IsStrongETag(etag))
        {
            throw new ArgumentException("A snapshot is sealed with a quoted strong validator of its feed (32 lower-case hex digits).", nameof(etag));
        }

        ETag = etag;
        // Sealing is the moment of publishing: the audit line names the entries and the exact bytes (ETag).
        // It counts the documents and names what changed (at most AuditedChanges of them), not every document.
        var named = changes.Take(AuditedChanges).Select(c => c.Change switch
        {
            EntryChange.Added => $"added {c.Entry.Slug} v{c.Entry.VersionNumber}",
            EntryChange.Changed => $"{c.Entry.Slug} v{c.PreviousVersion} → v{c.Entry.VersionNumber}",
            EntryChange.Reviewed => $"{c.Entry.Slug} v{c.Entry.VersionNumber} kept at periodic review",
            EntryChange.Overdue => $"{c.Entry.Slug} v{c.Entry.VersionNumber} review overdue",
            _ => $"removed {c.Entry.Slug}",
        }).ToList();
        if (changes.Count > AuditedChanges)
        {
            named.Add($"and {changes.Count - AuditedChanges} more");
        }

        Audit(PublishedById, PublishedByName, PublishedAt, AuditActions.SnapshotPublished, $"snapshot:{Id}",
            $"Published snapshot {Id}{(RepublishedFromId is { } from ? $", republishing snapshot {from}" : "")}: " +
            $"{DocumentCount} documents, {changes.Count} changed ({string.Join(", ", named)}) ETag {ETag}: {Note}");
    }
}

/// <summary>
/// A snapshot being published: its header (<see cref="Snapshot"/>, the same as one read back from the
/// store) and what only the publish knows: the whole manifest in feed order, the edit of the current
/// manifest it was made by (when the plan was one, for the feed to reuse the current items by position),
/// and what changed, which the snapshot's audit line names when it is sealed.
/// </summary>
public sealed class Publication
{
    internal Publication(Snapshot snapshot, SnapshotPlan plan)
    {
        Snapshot = snapshot;
        Entries = FeedOrderedManifest.Of(plan.Entries);
        Edit = plan.Edit;
        Changes = plan.Changes;
    }

    public Snapshot Snapshot { get; }

    /// <summary>The whole manifest, in feed order.</summary>
    public FeedOrderedManifest Entries { get; }

    /// <summary>How the manifest was made from the one before, when the plan was an edit of it.</summary>
    public ManifestEdit? Edit { get; }

    /// <summary>What this snapshot adds, changes or removes against the one before.</summary>
    public IReadOnlyList<PlannedChange> Changes { get; }

    /// <summary>The documents this snapshot added, changed or removed.</summary>
    public IReadOnlyList<Guid> ChangedDocuments => Changes.Select(c => c.Entry.DocumentId).ToList();

    public SnapshotContents Contents => new(Snapshot.Id, Entries);

    /// <summary>Fixes the feed's validator; the snapshot records its publish in the audit trail, naming what changed.</summary>
    public void Seal(string etag) => Snapshot.Seal(etag, Changes);
}
