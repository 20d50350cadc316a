using ContentPortal.Domain;

namespace ContentPortal.Web.Data;

/// <summary>
/// <see cref="Document.Latest"/> and <see cref="Document.LatestApproved"/> as database queries, for lists
/// that must not load every document with all its versions. Call them on an unfiltered source.
/// </summary>
public static class VersionQueries
{
    /// <summary>Each document's latest version.</summary>
    public static IQueryable<DocumentVersion> LatestPerDocument(this IQueryable<DocumentVersion> versions) =>
        versions.Where(v => v.Number == versions.Where(x => x.DocumentId == v.DocumentId).Max(x => x.Number));

    /// <summary>Each document's latest approved version (the one publishing and review dates rest on).</summary>
    public static IQueryable<DocumentVersion> LatestApprovedPerDocument(this IQueryable<DocumentVersion> versions) =>
        versions.Where(v => v.Status == VersionStatus.Approved
            && v.Number == versions.Where(x => x.DocumentId == v.DocumentId && x.Status == VersionStatus.Approved).Max(x => x.Number));
}
