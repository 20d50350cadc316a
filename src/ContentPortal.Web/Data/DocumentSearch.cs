using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Data;

/// <summary>
/// What the content list's search reads: the latest version's title, summary and body, one row per document,
/// kept by <see cref="PortalDbContext"/> in the same save as the listing columns (issue 9: a search must not
/// read every version). Indexes on each store (issue 28):
/// - full text that ranks: SQLite FTS5 <c>DocumentRankIndex</c> (porter over unicode61, bm25) on Title, Summary
///   and Body; PostgreSQL the generated column <c>Ranked</c> (weighted tsvector, 'english') with a GIN index;
/// - substring and typo-tolerant matches on <see cref="Text"/>: SQLite's FTS5 trigram table
///   <c>DocumentSearchIndex</c>, PostgreSQL a pg_trgm GIN index; used when full text finds nothing.
/// - the title's and the summary's words alone, for the tiers of a common word: SQLite's FTS5 tables
///   <c>DocumentTitleIndex</c> and <c>DocumentSummaryIndex</c>, PostgreSQL the stored vectors <c>TitleWords</c> and
///   <c>SummaryWords</c> with GIN indexes (migration CommonWordSearch).
/// The FTS5 tables are filled by triggers the migrations create. Codes are exact look-ups (<see cref="DocumentSearchCode"/>).
/// </summary>
public sealed class DocumentSearch
{
    /// <summary>An integer key because SQLite's FTS5 tables refer to rows by it (a rowid VACUUM cannot renumber).</summary>
    public long Id { get; set; }

    public Guid DocumentId { get; set; }

    /// <summary>Title, summary and body in one text: what the substring and trigram fallback read.</summary>
    public string Text { get; set; } = "";

    public string Title { get; set; } = "";

    public string Summary { get; set; } = "";

    public string Body { get; set; } = "";

    /// <summary>Longest text kept per document: bodies are bounded far below this, so it never cuts in practice.</summary>
    public const int MaxTextLength = 1_000_000;

    public static string TextOf(DocumentVersion version) =>
        $"{version.Title}\n{version.Summary}\n{BodyOf(version)}";

    /// <summary>The body as search reads it: an article's text, a red-flag list's symptoms and advice, one flag a line.</summary>
    public static string BodyOf(DocumentVersion version) =>
        string.Join("\n", version.Flags.OrderBy(f => f.Position).Select(f => $"{f.Symptom}. {f.Advice}").Prepend(version.BodyMarkdown));

    /// <summary>The clinical codes a search finds the version by: the document's and its red flags', in capitals, once each.</summary>
    public static IReadOnlyList<string> CodesOf(DocumentVersion version) =>
        version.Codes.Concat(version.Flags.SelectMany(f => f.Codes))
            .Select(c => c.Code.Trim().ToUpperInvariant()).Where(c => c.Length > 0).Distinct().ToList();

    /// <summary>The trigram index can only help with three characters or more; shorter terms read every row of this table.</summary>
    private const int TrigramLength = 3;

    /// <summary>
    /// A search lists at most this many documents (ten pages). Past it, more matches cost more to read and
    /// sort while nobody pages through them: the page says so and asks for more words or a filter, and a
    /// search costs the same at 1,000 documents as at 100,000 (issue 9).
    /// </summary>
    public const int MaxMatches = 500;

    /// <summary>How a search found its documents: what the list says about them and how their snippets are made.</summary>
    public enum Found
    {
        /// <summary>Nothing to search for, or nothing found.</summary>
        Nothing,

        /// <summary>Exact slug or code first, then full-text matches, best first.</summary>
        Ranked,

        /// <summary>No full-text match: documents containing the text as typed, the most recently created first.</summary>
        Substring,

        /// <summary>Neither: documents with words spelt like the query's (a typo), the most alike first.</summary>
        Similar,
    }

    /// <summary>The ids of a search in its order, and how they were found.</summary>
    public sealed record Answer(List<Guid> Ids, Found How);

    /// <summary>Typo-tolerant matches are few by nature: at most this many are listed.</summary>
    public const int MaxSimilar = 50;

    /// <summary>
    /// The search, the same on both stores (issue 28): at most <paramref name="limit"/> documents of the kind and
    /// latest status asked for. First a document whose slug is the query, or that carries the query as a clinical
    /// code (SNOMED CT, ICD-10); then full text over the latest title, summary and body (words in any order,
    /// word forms, "quoted phrases", <c>or</c>, <c>-word</c>), best first with the title weighted above the
    /// summary and the summary above the body. When both find nothing: the text as typed (substring), then
    /// words spelt alike (trigrams). The content list and <c>/api/v1/items?q=</c> call this.
    /// </summary>
    public static async Task<Answer> RankedAsync(PortalDbContext db, string query, DocumentKind? kind, VersionStatus? status, int limit, CancellationToken cancellationToken = default)
    {
        query = query.Trim();
        if (query.Length == 0 || limit <= 0)
        {
            return new([], Found.Nothing);
        }

        var ids = await ExactAsync(db, query, kind, status, limit, cancellationToken);
        var parsed = SearchQuery.Parse(query);
        if (parsed.HasWords && ids.Count < limit)
        {
            var ranked = await FullTextAsync(db, query, parsed, kind, status, limit, cancellationToken);
            ids.AddRange(ranked.Where(id => !ids.Contains(id)).Take(limit - ids.Count));
        }

        if (ids.Count > 0)
        {
            return new(ids, Found.Ranked);
        }

        var substring = await SubstringAsync(db, query, kind, status, limit, cancellationToken);
        if (substring.Count > 0)
        {
            return new(substring, Found.Substring);
        }

        var similar = await SimilarAsync(db, query, kind, status, Math.Min(limit, MaxSimilar), cancellationToken);
        return new(similar, similar.Count > 0 ? Found.Similar : Found.Nothing);
    }

    /// <summary>The document whose slug is the query, then those carrying it as a code: both are unique look-ups on an index.</summary>
    private static async Task<List<Guid>> ExactAsync(PortalDbContext db, string query, DocumentKind? kind, VersionStatus? status, int limit, CancellationToken cancellationToken)
    {
        if (query.Any(char.IsWhiteSpace) || query.Length > Math.Max(Domain.Slug.MaxLength, DocumentSearchCode.MaxCodeLength))
        {
            return [];
        }

        var documents = db.Documents.AsNoTracking();
        if (kind is { } ofKind)
        {
            documents = documents.Where(d => d.Kind == ofKind);
        }

        if (status is { } ofStatus)
        {
            documents = documents.Where(d => d.LatestStatus == ofStatus);
        }

        var slug = query.ToLowerInvariant();
        var code = query.ToUpperInvariant();
        var bySlug = await documents.Where(d => d.Slug == slug).Select(d => d.Id).ToListAsync(cancellationToken);
        var byCode = await db.DocumentSearchCodes.Where(c => c.Code == code)
            .Join(documents, c => c.DocumentId, d => d.Id, (c, d) => d)
            .OrderBy(d => d.LatestTitle).ThenBy(d => d.Id).Select(d => d.Id).Take(limit).ToListAsync(cancellationToken);
        return bySlug.Concat(byCode).Distinct().Take(limit).ToList();
    }

    /// <summary>
    /// Full-text matches, best first, at most <paramref name="limit"/>. The newest matches are read first, one more
    /// than the list holds. When that is all of them, every match is scored (<see cref="ScoredOnSqliteAsync"/>,
    /// <see cref="ScoredOnPostgresAsync"/>). When there are more (a common word: "pain" matches most of the
    /// corpus), scoring them all would cost what the corpus costs, not what the page shows (issue 28), so nothing
    /// is scored: the tiers come from indexes of their own, each read newest first and stopping at the limit —
    /// the documents whose title holds the words (shorter title first), then those whose summary does (likewise),
    /// then the other matches, most recently created first. A tier with more matches than the list lists its
    /// most recently created ones. The same on both stores: the order is the tiers, lengths and row ids.
    /// </summary>
    private static async Task<List<Guid>> FullTextAsync(PortalDbContext db, string query, SearchQuery parsed, DocumentKind? kind, VersionStatus? status, int limit, CancellationToken cancellationToken)
    {
        var postgres = db.Database.IsNpgsql();
        var newest = await NewestAsync(db, postgres, Tier.Any, query, parsed, kind, status, limit + 1, cancellationToken);
        if (newest.Count <= limit)
        {
            return postgres
                ? await ScoredOnPostgresAsync(db, query, kind, status, limit, cancellationToken)
                : await ScoredOnSqliteAsync(db, parsed, kind, status, limit, cancellationToken);
        }

        var title = await NewestAsync(db, postgres, Tier.Title, query, parsed, kind, status, limit, cancellationToken);
        var summary = title.Count < limit ? await NewestAsync(db, postgres, Tier.Summary, query, parsed, kind, status, limit, cancellationToken) : [];
        var listed = new HashSet<long>();
        return title.OrderBy(m => m.Length).ThenByDescending(m => m.Row)
            .Concat(summary.OrderBy(m => m.Length).ThenByDescending(m => m.Row))
            .Concat(newest)
            .Where(m => listed.Add(m.Row))
            .Select(m => m.DocumentId).Take(limit).ToList();
    }

    /// <summary>Which text a tier reads: the title, the summary, or any of title, summary and body.</summary>
    private enum Tier
    {
        Any,
        Title,
        Summary,
    }

    /// <summary>A match: its search row (newer rows have higher ids), its document, and the length of the text its tier reads.</summary>
    private sealed record Match(long Row, Guid DocumentId, int Length);

    /// <summary>
    /// At most <paramref name="limit"/> matches of one tier, newest row first. The index is read in row order and
    /// stops at the limit: FTS5 by rowid (its table first: CROSS JOIN keeps SQLite's join order), PostgreSQL by
    /// the primary key where most rows match or through the tier's GIN index where few do (the planner's choice).
    /// A title or summary match also matches the whole query, its excluded words included.
    /// </summary>
    private static Task<List<Match>> NewestAsync(PortalDbContext db, bool postgres, Tier tier, string query, SearchQuery parsed, DocumentKind? kind, VersionStatus? status, int limit, CancellationToken cancellationToken)
    {
        var column = tier switch { Tier.Title => "Title", Tier.Summary => "Summary", _ => null };
        var length = column is null ? "0" : $"length(s.\"{column}\")";
        System.Text.StringBuilder sql;
        List<object> values;
        if (postgres)
        {
            // A tier reads its own stored vector (TitleWords, SummaryWords: migration CommonWordSearch); words found
            // there are found in the whole text, so "Ranked" is asked only whether an excluded word is anywhere.
            var words = column is null || parsed.ExcludedFts5() is not null ? "\"Ranked\"" : $"\"{column}Words\"";
            sql = new($$"""
                SELECT s."Id" AS "Row", s."DocumentId" AS "DocumentId", {{length}} AS "Length" FROM "DocumentSearch" AS s
                JOIN "Documents" AS d ON d."Id" = s."DocumentId"
                WHERE s.{{words}} @@ websearch_to_tsquery('english', {0})
                """);
            if (column is not null && words == "\"Ranked\"")
            {
                sql.Append($" AND s.\"{column}Words\" @@ websearch_to_tsquery('english', {{0}})");
            }

            values = [query];
        }
        else
        {
            var table = tier switch { Tier.Title => "DocumentTitleIndex", Tier.Summary => "DocumentSummaryIndex", _ => "DocumentRankIndex" };
            sql = new($$"""
                SELECT s."Id" AS "Row", s."DocumentId" AS "DocumentId", {{length}} AS "Length" FROM "{{table}}" AS f
                CROSS JOIN "DocumentSearch" AS s CROSS JOIN "Documents" AS d
                WHERE "{{table}}" MATCH {0} AND s."Id" = f.rowid AND d."Id" = s."DocumentId"
                """);
            values = [column is null ? parsed.ToFts5() : parsed.ToFts5(column)];
            if (column is not null && parsed.ExcludedFts5() is { } excluded)
            {
                // One look-up by rowid per row: the excluded words anywhere in the document leave it out.
                sql.Append($" AND NOT EXISTS (SELECT 1 FROM \"DocumentRankIndex\" AS x WHERE \"DocumentRankIndex\" MATCH {{{values.Count}}} AND x.rowid = f.rowid)");
                values.Add(excluded);
            }
        }

        AppendFilters(sql, values, kind, status);
        // The same order on both stores (the search row's id); on SQLite as the FTS5 rowid, which FTS5 reads in that order.
        sql.Append($" ORDER BY {(postgres ? "s.\"Id\"" : "f.rowid")} DESC LIMIT {{{values.Count}}}");
        values.Add(limit);
        return db.Database.SqlQueryRaw<Match>(sql.ToString(), values.ToArray()).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Every match scored (there are at most the list's limit), FTS5 with the porter stemmer. In tiers, the same on
    /// both stores: the documents whose title holds the words (the shorter title first: more of it is the query),
    /// then those whose summary does (likewise), then the rest by bm25 (lower is better; title, summary and body
    /// weighted 10 : 4 : 1); then the most recently created. The tiers are read from the title's and the summary's
    /// own FTS5 tables.
    /// </summary>
    private static Task<List<Guid>> ScoredOnSqliteAsync(PortalDbContext db, SearchQuery query, DocumentKind? kind, VersionStatus? status, int limit, CancellationToken cancellationToken)
    {
        var sql = new System.Text.StringBuilder("""
            SELECT s."DocumentId" AS "Value" FROM "DocumentRankIndex" AS f
            JOIN "DocumentSearch" AS s ON s."Id" = f.rowid
            JOIN "Documents" AS d ON d."Id" = s."DocumentId"
            WHERE "DocumentRankIndex" MATCH {0}
            """);
        var values = new List<object> { query.ToFts5(), query.ToFts5("Title"), query.ToFts5("Summary") };
        AppendFilters(sql, values, kind, status);
        const string InTitle = "f.rowid IN (SELECT rowid FROM \"DocumentTitleIndex\" WHERE \"DocumentTitleIndex\" MATCH {1})";
        const string InSummary = "f.rowid IN (SELECT rowid FROM \"DocumentSummaryIndex\" WHERE \"DocumentSummaryIndex\" MATCH {2})";
        sql.Append($" ORDER BY {InTitle} DESC, {InSummary} DESC,");
        sql.Append($" CASE WHEN {InTitle} THEN length(s.\"Title\") WHEN {InSummary} THEN length(s.\"Summary\") ELSE 0 END,");
        sql.Append($" bm25(\"DocumentRankIndex\", 10.0, 4.0, 1.0), f.rowid DESC LIMIT {{{values.Count}}}");
        values.Add(limit);
        return db.Database.SqlQueryRaw<Guid>(sql.ToString(), values.ToArray()).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Every match scored (at most the list's limit): the weighted tsvector column (title A, summary B, body C) and
    /// <c>websearch_to_tsquery</c>, which reads the same syntax as <see cref="SearchQuery"/> and never fails on what
    /// is typed. The same tiers as on SQLite (<c>ts_filter</c> keeps the title's or the summary's words), then
    /// <c>ts_rank_cd</c> divided by 1 + log(length), as bm25 also prefers the shorter of two texts with the same hits.
    /// </summary>
    private static Task<List<Guid>> ScoredOnPostgresAsync(PortalDbContext db, string query, DocumentKind? kind, VersionStatus? status, int limit, CancellationToken cancellationToken)
    {
        var sql = new System.Text.StringBuilder("""
            SELECT s."DocumentId" AS "Value" FROM "DocumentSearch" AS s
            JOIN "Documents" AS d ON d."Id" = s."DocumentId"
            WHERE s."Ranked" @@ websearch_to_tsquery('english', {0})
            """);
        var values = new List<object> { query };
        AppendFilters(sql, values, kind, status);
        const string InTitle = "ts_filter(s.\"Ranked\", '{{a}}') @@ websearch_to_tsquery('english', {0})";
        const string InSummary = "ts_filter(s.\"Ranked\", '{{b}}') @@ websearch_to_tsquery('english', {0})";
        sql.Append($" ORDER BY {InTitle} DESC, {InSummary} DESC,");
        sql.Append($" CASE WHEN {InTitle} THEN length(s.\"Title\") WHEN {InSummary} THEN length(s.\"Summary\") ELSE 0 END,");
        sql.Append($" ts_rank_cd(s.\"Ranked\", websearch_to_tsquery('english', {{0}}), 1) DESC, s.\"Id\" DESC LIMIT {{{values.Count}}}");
        values.Add(limit);
        return db.Database.SqlQueryRaw<Guid>(sql.ToString(), values.ToArray()).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Words spelt like the query's. PostgreSQL: pg_trgm's <c>&lt;%</c> (word similarity at least 0.6, on the
    /// trigram index). SQLite: the trigram table asked for any of the query's trigrams, best bm25 first, then
    /// kept only where each query word has a word in the text sharing most of its trigrams (the same 0.6).
    /// </summary>
    private static async Task<List<Guid>> SimilarAsync(PortalDbContext db, string query, DocumentKind? kind, VersionStatus? status, int limit, CancellationToken cancellationToken)
    {
        var words = SearchQuery.Words(query).Where(w => w.Length >= TrigramLength).ToList();
        if (words.Count == 0)
        {
            return [];
        }

        if (db.Database.IsNpgsql())
        {
            var pg = new System.Text.StringBuilder("""
                SELECT s."DocumentId" AS "Value" FROM "DocumentSearch" AS s
                JOIN "Documents" AS d ON d."Id" = s."DocumentId"
                WHERE {0} <% s."Text"
                """);
            var pgValues = new List<object> { string.Join(' ', words) };
            AppendFilters(pg, pgValues, kind, status);
            pg.Append($" ORDER BY word_similarity({{0}}, s.\"Text\") DESC, s.\"Id\" DESC LIMIT {{{pgValues.Count}}}");
            pgValues.Add(limit);
            return await db.Database.SqlQueryRaw<Guid>(pg.ToString(), pgValues.ToArray()).ToListAsync(cancellationToken);
        }

        var trigrams = words.SelectMany(Trigrams.Of).Distinct().Select(t => "\"" + t.Replace("\"", "\"\"") + "\"");
        var sql = new System.Text.StringBuilder("""
            SELECT s."DocumentId" AS "DocumentId", s."Text" AS "Text" FROM "DocumentSearchIndex" AS f
            JOIN "DocumentSearch" AS s ON s."Id" = f.rowid
            JOIN "Documents" AS d ON d."Id" = s."DocumentId"
            WHERE "DocumentSearchIndex" MATCH {0}
            """);
        var values = new List<object> { string.Join(" OR ", trigrams) };
        AppendFilters(sql, values, kind, status);
        // Four times the limit as candidates: most of a typo's trigrams are right, so the documents that have
        // the meant word rank high; the check below then drops those that only share common trigrams.
        sql.Append($" ORDER BY bm25(\"DocumentSearchIndex\"), f.rowid DESC LIMIT {{{values.Count}}}");
        values.Add(limit * 4);
        var candidates = await db.Database.SqlQueryRaw<Candidate>(sql.ToString(), values.ToArray()).ToListAsync(cancellationToken);
        return candidates
            .Select(c => (c.DocumentId, Similarity: Trigrams.WordSimilarity(words, c.Text)))
            .Where(c => c.Similarity >= Trigrams.Threshold)
            .OrderByDescending(c => c.Similarity)
            .Select(c => c.DocumentId).Take(limit).ToList();
    }

    private sealed record Candidate(Guid DocumentId, string Text);

    /// <summary>Most words a snippet shows.</summary>
    private const int SnippetWords = 24;

    /// <summary>
    /// A snippet per document of <paramref name="ids"/> (the page's rows, not every match: ts_headline reads the
    /// whole text): the words around the hits, each hit marked. The marks are control characters the text is
    /// split on (<see cref="SearchSnippet"/>); the text itself is never read as HTML.
    /// </summary>
    public static async Task<Dictionary<Guid, SearchSnippet>> SnippetsAsync(PortalDbContext db, string query, Answer answer, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0 || answer.How == Found.Nothing)
        {
            return [];
        }

        query = query.Trim();
        var marked = new Dictionary<Guid, string>();
        if (answer.How == Found.Ranked && SearchQuery.Parse(query) is { HasWords: true } parsed)
        {
            var idList = ids.ToList();
            List<Headline> rows;
            if (db.Database.IsNpgsql())
            {
                rows = await db.Database.SqlQueryRaw<Headline>("""
                    SELECT s."DocumentId" AS "DocumentId",
                           ts_headline('english', s."Summary" || chr(10) || s."Body", websearch_to_tsquery('english', {0}), {1}) AS "Text"
                    FROM "DocumentSearch" AS s
                    WHERE s."DocumentId" = ANY({2}) AND s."Ranked" @@ websearch_to_tsquery('english', {0})
                    """, query, $"StartSel={SearchSnippet.Start}, StopSel={SearchSnippet.Stop}, MaxWords={SnippetWords}, MinWords={SnippetWords / 2}, MaxFragments=2, FragmentDelimiter=\" … \"", idList.ToArray())
                    .ToListAsync(cancellationToken);
            }
            else
            {
                // The rows first (a unique index), then FTS5 by rowid: MATCH alone would read every match of a common word.
                var rowIds = await db.DocumentSearches.Where(s => EF.Parameter(idList).Contains(s.DocumentId)).Select(s => s.Id).ToListAsync(cancellationToken);
                rows = [];
                foreach (var rowId in rowIds)
                {
                    rows.AddRange(await db.Database.SqlQueryRaw<Headline>("""
                        SELECT s."DocumentId" AS "DocumentId",
                               snippet("DocumentRankIndex", -1, {1}, {2}, ' … ', {3}) AS "Text"
                        FROM "DocumentRankIndex" AS f JOIN "DocumentSearch" AS s ON s."Id" = f.rowid
                        WHERE "DocumentRankIndex" MATCH {0} AND f.rowid = {4}
                        """, parsed.ToFts5(), SearchSnippet.Start.ToString(), SearchSnippet.Stop.ToString(), SnippetWords, rowId).ToListAsync(cancellationToken));
                }
            }

            foreach (var row in rows)
            {
                marked[row.DocumentId] = row.Text;
            }
        }

        // Exact, substring and similar matches (and ranked ones whose headline came back empty): the text around
        // the query as typed, marked in C#, or the summary's first words.
        var missing = ids.Where(id => !marked.ContainsKey(id) || !marked[id].Contains(SearchSnippet.Start)).ToList();
        if (missing.Count > 0)
        {
            var texts = await db.DocumentSearches.AsNoTracking().Where(s => EF.Parameter(missing).Contains(s.DocumentId))
                .Select(s => new { s.DocumentId, s.Summary, s.Body }).ToListAsync(cancellationToken);
            foreach (var text in texts)
            {
                marked[text.DocumentId] = SearchSnippet.Around(text.Summary + "\n" + text.Body, query, SnippetWords);
            }
        }

        return marked.ToDictionary(m => m.Key, m => SearchSnippet.Parse(m.Value));
    }

    private sealed record Headline(Guid DocumentId, string Text);

    private static void AppendFilters(System.Text.StringBuilder sql, List<object> values, DocumentKind? kind, VersionStatus? status)
    {
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
    }

    /// <summary>
    /// The fallback: ids of at most <paramref name="limit"/> documents whose latest version contains <paramref name="term"/>
    /// (case-insensitive), of the kind and latest status asked for, the most recently created first: the
    /// index is read in that order and stops at the limit, so a common word does not read every match.
    /// </summary>
    private static async Task<List<Guid>> SubstringAsync(PortalDbContext db, string term, DocumentKind? kind, VersionStatus? status, int limit, CancellationToken cancellationToken = default)
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
            AppendFilters(sql, values, kind, status);
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

    /// <summary>
    /// Runs a bulk load of search rows (the seed import: every document new) and fills SQLite's FTS5 tables once at
    /// the end instead of row by row: the tables' insert triggers are dropped for the load, each table is rebuilt
    /// from <c>DocumentSearch</c> ('rebuild'), and the triggers are created again from the SQL the migrations stored.
    /// Row by row cost a quarter of the import's save; the rebuild about half of that (10,000 documents: 7.6 s
    /// against 3.8 s, most of it the trigram table, issue 28). Must run inside the load's transaction: SQLite's
    /// schema changes are transactional, so a failed load leaves the triggers as they were. PostgreSQL keeps its
    /// indexes (GIN indexes filled during the load cost no more than built after it).
    /// </summary>
    public static async Task BulkLoadAsync(PortalDbContext db, Func<Task> load, CancellationToken cancellationToken = default)
    {
        if (!db.Database.IsSqlite())
        {
            await load();
            return;
        }

        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A bulk load of search rows must run inside a transaction: a failure must leave the index triggers in place.");
        }

        var triggers = await db.Database.SqlQueryRaw<StoredSql>(
            "SELECT name AS \"Name\", sql AS \"Sql\" FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'DocumentSearch' AND sql LIKE '% AFTER INSERT ON DocumentSearch %' ORDER BY name")
            .ToListAsync(cancellationToken);
        var indexes = await db.Database.SqlQueryRaw<StoredSql>(
            "SELECT name AS \"Name\", sql AS \"Sql\" FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE % USING fts5(%content=''DocumentSearch''%' ORDER BY name")
            .ToListAsync(cancellationToken);
        foreach (var trigger in triggers)
        {
            var drop = $"DROP TRIGGER \"{trigger.Name}\""; // names SQLite gave back, not user input
            await db.Database.ExecuteSqlRawAsync(drop, cancellationToken);
        }

        await load();

        foreach (var index in indexes)
        {
            var rebuild = $"INSERT INTO \"{index.Name}\"(\"{index.Name}\") VALUES ('rebuild')";
            await db.Database.ExecuteSqlRawAsync(rebuild, cancellationToken);
        }

        foreach (var trigger in triggers)
        {
            await db.Database.ExecuteSqlRawAsync(trigger.Sql, cancellationToken);
        }
    }

    /// <summary>A schema object's name and the SQL that created it, as SQLite keeps them in sqlite_master.</summary>
    private sealed record StoredSql(string Name, string Sql);
}

/// <summary>
/// One clinical code (SNOMED CT concept id, ICD-10 code) of a document's latest version or its red flags, in
/// capitals: a search for a code is an exact look-up on this table's key (codes are otherwise stored as JSON
/// on their owner, <see cref="CodesColumn"/>). Kept by <see cref="SearchRows"/> with the search row.
/// </summary>
public sealed class DocumentSearchCode
{
    /// <summary>Longer than any SNOMED CT id (18 digits) or ICD-10 code; a longer "code" is not stored for search.</summary>
    public const int MaxCodeLength = 40;

    public string Code { get; set; } = "";

    public Guid DocumentId { get; set; }
}
