using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Data;

/// <summary>
/// What the content list's search reads: the latest version's title, summary and body, one row per document,
/// kept by <see cref="PortalDbContext"/> in the same save as the listing columns (issue 9: a search must not
/// read every version). Indexed for substring search, the way the old <c>LIKE '%term%'</c> matched:
/// SQLite with an FTS5 trigram table (<c>DocumentSearchIndex</c>, filled by triggers the migration creates),
/// PostgreSQL with a pg_trgm GIN index that <c>ILIKE</c> uses.
/// </summary>
public sealed class DocumentSearch
{
    /// <summary>An integer key because SQLite's FTS5 table refers to rows by it (a rowid VACUUM cannot renumber).</summary>
    public long Id { get; set; }

    public Guid DocumentId { get; set; }

    public string Text { get; set; } = "";

    /// <summary>Longest text kept per document: bodies are bounded far below this, so it never cuts in practice.</summary>
    public const int MaxTextLength = 1_000_000;

    public static string TextOf(DocumentVersion version) =>
        $"{version.Title}\n{version.Summary}\n{version.BodyMarkdown}";

    /// <summary>The trigram index can only help with three characters or more; shorter terms read every row of this table.</summary>
    private const int TrigramLength = 3;

    /// <summary>
    /// A search lists at most this many documents (ten pages). Past it, more matches cost more to read and
    /// sort while nobody pages through them: the page says so and asks for more words or a filter, and a
    /// search costs the same at 1,000 documents as at 100,000 (issue 9).
    /// </summary>
    public const int MaxMatches = 500;

    /// <summary>
    /// Ids of at most <paramref name="limit"/> documents whose latest version contains <paramref name="term"/>
    /// (case-insensitive), of the kind and latest status asked for, the most recently created first: the
    /// index is read in that order and stops at the limit, so a common word does not read every match.
    /// </summary>
    public static async Task<List<Guid>> MatchingAsync(PortalDbContext db, string term, DocumentKind? kind, VersionStatus? status, int limit, CancellationToken cancellationToken = default)
    {
        if (!db.Database.IsNpgsql() && term.Length >= TrigramLength)
        {
            // A quoted FTS5 phrase: with the trigram tokenizer it matches the term as a substring, case-insensitively,
            // and nothing in it is read as query syntax. The index is the outer loop, read newest row first.
            var phrase = "\"" + term.Replace("\"", "\"\"") + "\"";
            var sql = new System.Text.StringBuilder("""
                SELECT s."DocumentId" AS "Value" FROM "DocumentSearchIndex" AS f
                JOIN "DocumentSearch" AS s ON s."Id" = f.rowid
                JOIN "Documents" AS d ON d."Id" = s."DocumentId"
                WHERE "DocumentSearchIndex" MATCH {0}
                """);
            var values = new List<object> { phrase };
            if (kind is { } k)
            {
                sql.Append($" AND d.\"Kind\" = {{{values.Count}}}");
                values.Add(k.ToString());
            }

            if (status is { } v)
            {
                sql.Append($" AND d.\"LatestStatus\" = {{{values.Count}}}");
                values.Add(v.ToString());
            }

            sql.Append($" ORDER BY f.rowid DESC LIMIT {{{values.Count}}}");
            values.Add(limit);
            return await db.Database.SqlQueryRaw<Guid>(sql.ToString(), values.ToArray()).ToListAsync(cancellationToken);
        }

        IQueryable<DocumentSearch> matches;
        if (db.Database.IsNpgsql())
        {
            var pattern = "%" + EscapeLike(term) + "%";
            matches = db.DocumentSearches.Where(s => EF.Functions.ILike(s.Text, pattern, "\\"));
        }
        else
        {
            // The trigram index can only help with three characters or more: a shorter term reads every row.
            var pattern = "%" + EscapeLike(term.ToLowerInvariant()) + "%";
            matches = db.DocumentSearches.Where(s => EF.Functions.Like(s.Text.ToLower(), pattern, "\\"));
        }

        var documents = db.Documents.AsQueryable();
        if (kind is { } ofKind)
        {
            documents = documents.Where(d => d.Kind == ofKind);
        }

        if (status is { } ofStatus)
        {
            documents = documents.Where(d => d.LatestStatus == ofStatus);
        }

        return await matches.Join(documents, s => s.DocumentId, d => d.Id, (s, d) => s)
            .OrderByDescending(s => s.Id).Select(s => s.DocumentId).Take(limit).ToListAsync(cancellationToken);
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
