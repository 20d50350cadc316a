using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Data;

/// <summary>
/// Save-time job 2 of <see cref="PortalDbContext"/>: keeps every touched document's listing columns
/// (<see cref="Document.RefreshListing"/>) true to its versions, in the same save. Also the start-up
/// catch-up after an upgrade that added or redefined a listing column.
/// </summary>
public static class ListingRefresh
{
    /// <summary>
    /// Refreshes the documents tracked here, and the documents of versions changed without theirs (loaded for
    /// the purpose); returns them all, for the search rows.
    /// </summary>
    public static async Task<List<Document>> RefreshTouchedAsync(PortalDbContext db, CancellationToken cancellationToken = default)
    {
        var documents = db.ChangeTracker.Entries<Document>().Where(e => e.State != EntityState.Deleted).Select(e => e.Entity).ToList();
        var known = documents.Select(d => d.Id).ToHashSet();
        // A version counts as changed when its own row or one of its owned rows (approvals, evidence checks…) is.
        var changedVersionIds = db.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
                && e.Metadata.FindOwnership()?.PrincipalEntityType.ClrType == typeof(DocumentVersion))
            .Select(e => e.Property("VersionId").CurrentValue).OfType<Guid>().ToHashSet();
        var orphans = db.ChangeTracker.Entries<DocumentVersion>()
            .Where(e => (e.State is EntityState.Added or EntityState.Modified || changedVersionIds.Contains(e.Entity.Id)) && !known.Contains(e.Entity.DocumentId))
            .Select(e => e.Entity.DocumentId).Distinct().ToList();
        // In chunks: one IN list per query must stay within the databases' parameter limits (SQLite: 32,766).
        foreach (var chunk in orphans.Chunk(500))
        {
            documents.AddRange(await db.Documents.Where(d => EF.Parameter(chunk).Contains(d.Id)).ToListAsync(cancellationToken));
        }

        foreach (var document in documents)
        {
            document.RefreshListing();
        }

        return documents;
    }

    /// <summary>
    /// After an upgrade that added or redefined a listing column (<see cref="Document.CurrentListingRevision"/>):
    /// recomputes the older rows through the domain, a batch at a time. Runs at start-up under the migration
    /// lock; on an up-to-date database it is one indexed query that finds nothing. Returns how many were refreshed.
    /// </summary>
    public static async Task<int> RefreshOutdatedAsync(PortalDbContext db, CancellationToken cancellationToken = default)
    {
        var refreshed = 0;
        while (true)
        {
            var batch = await db.Documents.Where(d => d.ListingRevision < Document.CurrentListingRevision && d.Versions.Any())
                .OrderBy(d => d.Id).Take(200).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return refreshed;
            }

            // The save refreshes the listing of every document it tracks (RefreshTouchedAsync), these included.
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            refreshed += batch.Count;
        }
    }
}
