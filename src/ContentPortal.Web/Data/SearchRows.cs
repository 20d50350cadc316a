using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Data;

/// <summary>
/// Save-time job 3 of <see cref="PortalDbContext"/>: the search row (<see cref="DocumentSearch"/>) and the codes
/// (<see cref="DocumentSearchCode"/>) of each touched document follow its latest version, in the same save
/// (two indexed reads per chunk of 500 documents).
/// </summary>
public static class SearchRows
{
    /// <summary>Adds the missing rows and updates the changed ones for <paramref name="documents"/>; saving writes them.</summary>
    public static async Task RefreshAsync(PortalDbContext db, IReadOnlyCollection<Document> documents, CancellationToken cancellationToken = default)
    {
        var latest = documents.Where(d => d.Versions.Count > 0).ToDictionary(d => d.Id, d => d.Latest);
        if (latest.Count == 0)
        {
            return;
        }

        // In chunks: an import of 50,000 documents is one save, beyond SQLite's 32,766 parameters in one IN list.
        // EF.Parameter sends a chunk as one array parameter: expanding 500 parameters costs EF more than the query.
        var rows = new Dictionary<Guid, DocumentSearch>(latest.Count);
        var codes = new Dictionary<Guid, List<DocumentSearchCode>>();
        foreach (var chunk in latest.Keys.Chunk(500))
        {
            foreach (var row in await db.DocumentSearches.Where(s => EF.Parameter(chunk).Contains(s.DocumentId)).ToListAsync(cancellationToken))
            {
                rows[row.DocumentId] = row;
            }

            foreach (var code in await db.DocumentSearchCodes.Where(c => EF.Parameter(chunk).Contains(c.DocumentId)).ToListAsync(cancellationToken))
            {
                (codes.TryGetValue(code.DocumentId, out var list) ? list : codes[code.DocumentId] = []).Add(code);
            }
        }

        foreach (var (documentId, version) in latest)
        {
            if (!rows.TryGetValue(documentId, out var row))
            {
                row = new DocumentSearch { DocumentId = documentId };
                db.DocumentSearches.Add(row);
            }

            Set(row, version);
            var wanted = DocumentSearch.CodesOf(version).Where(c => c.Length <= DocumentSearchCode.MaxCodeLength).ToHashSet();
            var stored = codes.GetValueOrDefault(documentId) ?? [];
            db.DocumentSearchCodes.RemoveRange(stored.Where(c => !wanted.Contains(c.Code)));
            db.DocumentSearchCodes.AddRange(wanted.Except(stored.Select(c => c.Code))
                .Select(c => new DocumentSearchCode { DocumentId = documentId, Code = c }));
        }
    }

    /// <summary>Assigns only what differs, so an unchanged row stays unchanged (and its index entries untouched).</summary>
    private static void Set(DocumentSearch row, DocumentVersion version)
    {
        var text = DocumentSearch.TextOf(version);
        if (row.Text != text)
        {
            row.Text = text;
        }

        if (row.Title != version.Title)
        {
            row.Title = version.Title;
        }

        if (row.Summary != version.Summary)
        {
            row.Summary = version.Summary;
        }

        var body = DocumentSearch.BodyOf(version);
        if (row.Body != body)
        {
            row.Body = body;
        }
    }
}
