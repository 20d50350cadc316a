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

    /// <summary>Ids of the documents whose latest version contains <paramref name="term"/> (case-insensitive).</summary>
    public static IQueryable<Guid> Matching(PortalDbContext db, string term)
    {
        if (db.Database.IsNpgsql())
        {
            var pattern = "%" + EscapeLike(term) + "%";
            return db.DocumentSearches.Where(s => EF.Functions.ILike(s.Text, pattern, "\\")).Select(s => s.DocumentId);
        }

        if (term.Length < TrigramLength)
        {
            var pattern = "%" + EscapeLike(term.ToLowerInvariant()) + "%";
            return db.DocumentSearches.Where(s => EF.Functions.Like(s.Text.ToLower(), pattern, "\\")).Select(s => s.DocumentId);
        }

        // A quoted FTS5 phrase: with the trigram tokenizer it matches the term as a substring, case-insensitively,
        // and nothing in it is read as query syntax.
        var phrase = "\"" + term.Replace("\"", "\"\"") + "\"";
        return db.Database.SqlQuery<Guid>(
            $"SELECT s.DocumentId AS Value FROM DocumentSearch AS s WHERE s.Id IN (SELECT rowid FROM DocumentSearchIndex WHERE DocumentSearchIndex MATCH {phrase})");
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
