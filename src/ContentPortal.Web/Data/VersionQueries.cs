using ContentPortal.Domain;
using ContentPortal.Web.Publishing;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Data;

/// <summary>
/// <see cref="VersionOption"/> as database queries: one version per document, for lists that must not
/// load every document with all its versions. The in-memory twin is <see cref="Document.Pick"/>.
/// </summary>
public static class VersionQueries
{
    /// <summary>Each document's version as <paramref name="option"/> names it (untracked).</summary>
    public static IQueryable<DocumentVersion> Pick(this PortalDbContext db, VersionOption option)
    {
        var versions = db.Versions.AsNoTracking();
        switch (option)
        {
            // Through the documents' listing columns (Document.RefreshListing): an indexed lookup per document.
            case VersionOption.Latest:
                return db.Documents.AsNoTracking().Join(versions, d => new { d.Id, Number = d.LatestNumber }, v => new { Id = v.DocumentId, v.Number }, (d, v) => v);
            case VersionOption.LatestApproved:
                return db.Documents.AsNoTracking().Where(d => d.LatestApprovedId != null).Join(versions, d => d.LatestApprovedId, v => (Guid?)v.Id, (d, v) => v);
            case VersionOption.Published:
                return db.Documents.AsNoTracking().Where(d => d.PublishedVersionId != null).Join(versions, d => d.PublishedVersionId, v => (Guid?)v.Id, (d, v) => v);
            default:
                throw new ArgumentOutOfRangeException(nameof(option));
        }
    }

    /// <summary>The version of a loaded document that <paramref name="option"/> names, if any.</summary>
    public static Task<DocumentVersion?> PickAsync(this PortalDbContext db, Document document, VersionOption option, CancellationToken cancellationToken = default) =>
        Task.FromResult(document.Pick(option));

    /// <summary>The current snapshot's entries: which version of each document the feed serves now.</summary>
    public static async Task<IReadOnlyList<SnapshotEntry>> PublishedEntriesAsync(this PortalDbContext db, CancellationToken cancellationToken = default) =>
        await db.CurrentManifest().ToListAsync(cancellationToken);

    /// <summary>The newest snapshot (zero or one row): the one the feed serves.</summary>
    public static IQueryable<Snapshot> CurrentSnapshot(this PortalDbContext db) =>
        db.Snapshots.OrderByDescending(s => s.Id).Take(1);
}

/// <summary>What only the database knows about a document: asked here, and nowhere else.</summary>
public static class DocumentQueries
{
    /// <summary>Whether another document uses <paramref name="slug"/> (slugs are unique), and whether any snapshot ever held this one.</summary>
    public static async Task<SlugFacts> SlugFactsAsync(this PortalDbContext db, Guid? documentId, string slug, CancellationToken cancellationToken = default) =>
        new(await db.Documents.AnyAsync(d => d.Slug == slug && d.Id != documentId, cancellationToken),
            documentId is { } id && await db.EverPublishedAsync(id, cancellationToken));

    /// <summary>True once any snapshot held the document: its slug is then part of the feed.</summary>
    public static Task<bool> EverPublishedAsync(this PortalDbContext db, Guid documentId, CancellationToken cancellationToken = default) =>
        db.Snapshots.SelectMany(s => s.Entries).AnyAsync(e => e.DocumentId == documentId, cancellationToken);
}
