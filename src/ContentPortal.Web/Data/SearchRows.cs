using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Data;

/// <summary>
/// Save-time job 3 of <see cref="PortalDbContext"/>: the search row (<see cref="DocumentSearch"/>) of each
/// touched document follows its latest version, in the same save (one indexed read per save).
/// </summary>
public static class SearchRows
{
    /// <summary>Adds the missing rows and updates the changed ones for <paramref name="documents"/>; saving writes them.</summary>
    public static async Task RefreshAsync(PortalDbContext db, IReadOnlyCollection<Document> documents, CancellationToken cancellationToken = default)
    {
        var texts = documents.Where(d => d.Versions.Count > 0).ToDictionary(d => d.Id, d => DocumentSearch.TextOf(d.Latest));
        if (texts.Count == 0)
        {
            return;
        }

        // In chunks: an import of 50,000 documents is one save, beyond SQLite's 32,766 parameters in one IN list.
        var rows = new Dictionary<Guid, DocumentSearch>(texts.Count);
        foreach (var chunk in texts.Keys.Chunk(500))
        {
            foreach (var row in await db.DocumentSearches.Where(s => chunk.Contains(s.DocumentId)).ToListAsync(cancellationToken))
            {
                rows[row.DocumentId] = row;
            }
        }

        foreach (var (documentId, text) in texts)
        {
            if (!rows.TryGetValue(documentId, out var row))
            {
                db.DocumentSearches.Add(new DocumentSearch { DocumentId = documentId, Text = text });
            }
            else if (row.Text != text)
            {
                row.Text = text;
            }
        }
    }
}
