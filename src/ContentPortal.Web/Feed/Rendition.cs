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

    public Rendition(Guid versionId, Guid documentId, string slug, byte[] json, DateTime renderedAt)
    {
        VersionId = versionId;
        DocumentId = documentId;
        Slug = slug;
        Json = json;
        RenderedAt = renderedAt;
    }

    public Guid VersionId { get; private set; }

    public Guid DocumentId { get; private set; }

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
