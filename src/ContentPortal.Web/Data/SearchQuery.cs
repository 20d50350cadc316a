using System.Text;
using Microsoft.AspNetCore.Html;

namespace ContentPortal.Web.Data;

/// <summary>
/// What an editor typed into the search box, read the way PostgreSQL's <c>websearch_to_tsquery</c> reads it,
/// so SQLite's FTS5 gets the same question: words (all of them, any order), "quoted phrases", <c>or</c>
/// between two terms, <c>-word</c> to leave out. PostgreSQL's English stop words are left out of the words
/// as PostgreSQL leaves them out. Every term becomes an FTS5 string, so nothing typed is read as FTS5 syntax.
/// </summary>
public sealed class SearchQuery
{
    private readonly List<Term> terms = [];

    /// <summary>A word or phrase as read (words joined by spaces), left out (-), or joined to the one before by <c>or</c>.</summary>
    public sealed record Term(string Text, bool Phrase, bool Excluded, bool OrBefore);

    /// <summary>The terms in the order typed: for searches other than the stores' (the feed's items, issue 29).</summary>
    public IReadOnlyList<Term> Terms => terms;

    /// <summary>True when at least one word or phrase is not a stop word and not excluded: there is something to rank.</summary>
    public bool HasWords => terms.Any(t => !t.Excluded);

    public static SearchQuery Parse(string text)
    {
        var query = new SearchQuery();
        var orNext = false;
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            var excluded = text[i] == '-' && i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]);
            if (excluded)
            {
                i++;
            }

            string term;
            bool phrase;
            if (text[i] == '"')
            {
                var end = text.IndexOf('"', i + 1);
                term = end < 0 ? text[(i + 1)..] : text[(i + 1)..end];
                i = end < 0 ? text.Length : end + 1;
                phrase = true;
            }
            else
            {
                var end = i;
                while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] != '"')
                {
                    end++;
                }

                term = text[i..end];
                i = end;
                phrase = false;
            }

            if (!phrase && !excluded && term.Equals("or", StringComparison.OrdinalIgnoreCase))
            {
                orNext = query.terms.Count > 0;
                continue;
            }

            var words = Words(term).Where(w => phrase || !StopWords.Contains(w)).ToList();
            if (words.Count == 0)
            {
                continue;
            }

            query.terms.Add(new Term(string.Join(' ', words), phrase || words.Count > 1, excluded, orNext && !excluded));
            orNext = false;
        }

        return query;
    }

    /// <summary>The letters and digits of <paramref name="text"/>, in lower case, split where anything else is (as unicode61 splits them).</summary>
    public static IEnumerable<string> Words(string text)
    {
        var word = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }

    /// <summary>The included terms asked of one column only: whether that column alone holds them (a rank tier).</summary>
    public string ToFts5(string column) => $"{column} : {Included()}";

    /// <summary>The excluded terms as one FTS5 query (any of them), or null when none was typed.</summary>
    public string? ExcludedFts5() =>
        terms.Any(t => t.Excluded) ? string.Join(" OR ", terms.Where(t => t.Excluded).Select(t => $"\"{t.Text}\"")) : null;

    /// <summary>The FTS5 query: included terms joined by AND (OR where typed), then each excluded one after NOT.</summary>
    public string ToFts5()
    {
        var query = new StringBuilder(Included());
        foreach (var term in terms.Where(t => t.Excluded))
        {
            query.Append(" NOT \"").Append(term.Text).Append('"');
        }

        return query.ToString();
    }

    private string Included()
    {
        var included = new StringBuilder();
        foreach (var term in terms.Where(t => !t.Excluded))
        {
            if (included.Length > 0)
            {
                included.Append(term.OrBefore ? " OR " : " AND ");
            }

            included.Append('"').Append(term.Text).Append('"');
        }

        return "(" + included + ")";
    }

    /// <summary>PostgreSQL's English stop words (tsearch_data/english.stop): 'english' drops them from the text and the query.</summary>
    internal static readonly HashSet<string> StopWords = new(
        """
        i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself
        it its itself they them their theirs themselves what which who whom this that these those am is are was were be
        been being have has had having do does did doing a an the and but if or because as until while of at by for
        with about against between into through during before after above below to from up down in out on off over
        under again further then once here there when where why how all any both each few more most other some such no
        nor not only own same so than too very s t can will just don should now
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>Trigram similarity as pg_trgm computes it, for the SQLite side of the typo-tolerant fallback.</summary>
public static class Trigrams
{
    /// <summary>pg_trgm's default <c>word_similarity_threshold</c>.</summary>
    public const double Threshold = 0.6;

    /// <summary>The three-letter windows of one lower-case word, as pg_trgm pads it: two spaces before, one after.</summary>
    public static IEnumerable<string> Of(string word)
    {
        var padded = "  " + word + " ";
        for (var i = 0; i + 3 <= padded.Length; i++)
        {
            yield return padded.Substring(i, 3);
        }
    }

    /// <summary>
    /// How well the text holds every query word: for each word, the best share of its trigrams that one word of
    /// the text also has; the query's similarity is the least of those (every word must be nearly there).
    /// </summary>
    public static double WordSimilarity(IReadOnlyList<string> queryWords, string text)
    {
        var textWords = SearchQuery.Words(text).Distinct().Select(w => Of(w).ToHashSet()).ToList();
        var least = 1.0;
        foreach (var word in queryWords)
        {
            var mine = Of(word).ToHashSet();
            var best = textWords.Count == 0 ? 0 : textWords.Max(theirs => (double)mine.Count(theirs.Contains) / mine.Count);
            least = Math.Min(least, best);
        }

        return least;
    }
}

/// <summary>
/// A result's snippet: text parts, some of them hits. The database marks hits with two control characters
/// (<see cref="Start"/>, <see cref="Stop"/>); the page writes each part HTML-encoded and the hits inside
/// &lt;mark&gt;, so nothing in the stored text is ever read as HTML.
/// </summary>
public sealed record SearchSnippet(IReadOnlyList<(string Text, bool Hit)> Parts)
{
    /// <summary>The parts as HTML: each text HTML-encoded, the hits inside &lt;mark&gt;.</summary>
    public IHtmlContent ToHtml()
    {
        var html = new HtmlContentBuilder();
        foreach (var (text, hit) in Parts)
        {
            if (hit)
            {
                html.AppendHtml("<mark>").Append(text).AppendHtml("</mark>");
            }
            else
            {
                html.Append(text);
            }
        }

        return html;
    }

    public const char Start = '\u0002';
    public const char Stop = '\u0003';

    public static SearchSnippet Parse(string marked)
    {
        var parts = new List<(string, bool)>();
        var part = new StringBuilder();
        var hit = false;
        foreach (var c in marked)
        {
            if (c is Start or Stop)
            {
                if (part.Length > 0)
                {
                    parts.Add((part.ToString(), hit));
                    part.Clear();
                }

                hit = c == Start;
            }
            else
            {
                part.Append(char.IsControl(c) ? ' ' : c);
            }
        }

        if (part.Length > 0)
        {
            parts.Add((part.ToString(), hit));
        }

        return new SearchSnippet(parts);
    }

    /// <summary>
    /// About <paramref name="words"/> words of <paramref name="text"/> around the first place it holds
    /// <paramref name="query"/> as typed (case-insensitive), that place marked; the first words when it does not.
    /// </summary>
    public static string Around(string text, string query, int words)
    {
        text = text.Replace(Start, ' ').Replace(Stop, ' ');
        var at = query.Length == 0 ? -1 : text.IndexOf(query, StringComparison.OrdinalIgnoreCase);
        var reach = words * 4; // characters on each side: about half the words at six characters a word
        var from = at < 0 ? 0 : Math.Max(0, at - reach);
        var to = at < 0 ? Math.Min(text.Length, reach * 2) : Math.Min(text.Length, at + query.Length + reach);
        var before = (from > 0 ? "… " : "") + (at < 0 ? text[from..to] : text[from..at]);
        var after = at < 0 ? "" : text[(at + query.Length)..to];
        var end = to < text.Length ? " …" : "";
        return at < 0 ? before + end : before + Start + text.Substring(at, query.Length) + Stop + after + end;
    }
}
