using System.Linq.Expressions;
using ContentPortal.Domain;
using ContentPortal.Web.Publishing;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Data;

/// <summary>
/// <see cref="VersionOption"/> as database queries: one version per document, for lists that must not
/// load every document with all its versions. The in-memory twin is <see cref="Document.Pick"/> (a page
/// that has loaded its document asks the document). Each option is a join through the document's listing
/// column (<see cref="Document.RefreshListing"/>), so the documents can be narrowed first by the other
/// listing columns (indexed: status, review dates, PublishPending) and the join reads one version for
/// each document left.
/// </summary>
public static class VersionQueries
{
    /// <summary>Each document's version as <paramref name="option"/> names it (untracked).</summary>
    public static IQueryable<DocumentVersion> Pick(this PortalDbContext db, VersionOption option) =>
        db.Pick(option, db.Documents.AsNoTracking());

    /// <summary>The version <paramref name="option"/> names of each of <paramref name="documents"/> that has one (untracked).</summary>
    public static IQueryable<DocumentVersion> Pick(this PortalDbContext db, VersionOption option, IQueryable<Document> documents) =>
        db.Pick(option, documents, (d, v) => v);

    /// <summary>
    /// The same, with what a list needs of each document and its version. No "has one" term on the listing
    /// column: the join leaves out documents without such a version, and such a term can lead SQLite to walk
    /// that column's index over every document instead of the narrower index the caller filtered on.
    /// </summary>
    public static IQueryable<TResult> Pick<TResult>(this PortalDbContext db, VersionOption option, IQueryable<Document> documents, Expression<Func<Document, DocumentVersion, TResult>> select)
    {
        var versions = db.Versions.AsNoTracking();
        return option switch
        {
            VersionOption.Latest => documents.Join(versions, d => new { d.Id, Number = d.LatestNumber }, v => new { Id = v.DocumentId, v.Number }, select),
            VersionOption.LatestApproved => documents.Join(versions, d => d.LatestApprovedId, v => (Guid?)v.Id, select),
            VersionOption.Published => documents.Join(versions, d => d.PublishedVersionId, v => (Guid?)v.Id, select),
            _ => throw new ArgumentOutOfRangeException(nameof(option)),
        };
    }

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
