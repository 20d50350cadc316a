namespace ContentPortal.Web.Feed;

/// <summary>
/// An approved version's feed item as published (<see cref="FeedBuilder.RenderItem"/>), rendered and
/// sanitized once, at the first publish that includes the version, and stored. Snapshots are manifests
/// (document → version); their feed is assembled from these bytes. A rendition that any snapshot
/// served never changes, so every snapshot's feed stays byte-identical forever.
/// </summary>
public sealed class Rendition
{
    private Rendition()
    {
    }

    public Rendition(Guid versionId, Guid documentId, string slug, byte[] json, DateTime renderedAt, int periodicReviews = 0, bool reviewOverdue = false)
    {
        PeriodicReviews = periodicReviews;
        ReviewOverdue = reviewOverdue;
        VersionId = versionId;
        DocumentId = documentId;
        Slug = slug;
        Json = json;
        RenderedAt = renderedAt;
    }

    public Guid VersionId { get; private set; }

    public Guid DocumentId { get; private set; }

    /// <summary>
    /// The version's completed periodic reviews it was rendered with: a periodic review changes the item (dates,
    /// signatures), so it is a new rendition, and the one earlier snapshots served stays as it was.
    /// </summary>
    public int PeriodicReviews { get; private set; }

    /// <summary>Rendered saying the review is overdue (the overdue policy): other bytes than the same version unflagged.</summary>
    public bool ReviewOverdue { get; private set; }

    /// <summary>What a rendition is found by: the version, as of its periodic reviews, flagged overdue or not.</summary>
    public (Guid VersionId, int PeriodicReviews, bool ReviewOverdue) Key => (VersionId, PeriodicReviews, ReviewOverdue);

    /// <summary>The key of the rendition a manifest entry's item is.</summary>
    public static (Guid VersionId, int PeriodicReviews, bool ReviewOverdue) KeyOf(ContentPortal.Domain.SnapshotEntry entry) =>
        (entry.VersionId, entry.PeriodicReviews, entry.ReviewOverdue);

    /// <summary>The slug the item was rendered with (a slug can change until the first publish).</summary>
    public string Slug { get; private set; } = "";

    /// <summary>The item's JSON exactly as it appears in the feed (UTF-8).</summary>
    public byte[] Json { get; private set; } = [];

    public DateTime RenderedAt { get; private set; }

    /// <summary>Re-rendered under a new slug: only ever for a version no snapshot has served yet.</summary>
    public void Rerender(string slug, byte[] json, DateTime at)
    {
        Slug = slug;
        Json = json;
        RenderedAt = at;
    }
}
