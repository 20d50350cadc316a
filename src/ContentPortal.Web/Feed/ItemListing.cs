using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContentPortal.Domain;

namespace ContentPortal.Web.Feed;

/// <summary>
/// <c>GET /api/v1/items</c>: the current snapshot's items, filtered (kind, a code, review due before, updated since,
/// words), with only the fields asked for, a page at a time in the feed's order. The filters work on an index of
/// the snapshot built once from its published JSON (the items' kinds, dates, codes and words, by position), so a
/// request walks posting lists and the page, not the corpus; each distinct page is kept with the snapshot and
/// served with its own ETag.
/// </summary>
public static class ItemListing
{
    public const int MaxLimit = 200;
    public const int DefaultLimit = 50;
    public const int MaxQueryLength = 200;

    private static readonly ConditionalWeakTable<CurrentFeed, Index> Indexes = new();

    /// <summary>The top-level fields an item may have, from feed.schema.json (the one source of the item's shape).</summary>
    public static IReadOnlySet<string> Fields { get; } = KnownFields();

    public static FeedParameter[] Parameters { get; } =
    [
        new("kind", """{ "type": "string", "enum": ["article", "redFlagList"] }""", "Only articles or only red-flag lists."),
        new("system", """{ "type": "string", "enum": ["http://snomed.info/sct", "http://hl7.org/fhir/sid/icd-10"] }""", "With code: only items that carry the code (a list also when one of its flags does)."),
        new("code", """{ "type": "string" }""", "With system: a SNOMED CT concept id or an ICD-10 code."),
        new("reviewDueBefore", """{ "type": "string", "format": "date-time" }""", "Only items whose next clinical review is due before this time (UTC, or a date)."),
        new("updatedSince", """{ "type": "string", "format": "date-time" }""", "Only items approved at or after this time (UTC, or a date)."),
        new("q", $$"""{ "type": "string", "maxLength": {{MaxQueryLength}} }""", "Words that must all appear in the title, summary, body or flags (any case)."),
        new("fields", """{ "type": "string" }""", "A comma list of top-level item fields to return (e.g. id,slug,title,reviewDue); unknown fields are a 400 naming them."),
        new("limit", $$"""{ "type": "integer", "minimum": 1, "maximum": {{MaxLimit}}, "default": {{DefaultLimit}} }""", "Items per page."),
        new("after", """{ "type": "string", "pattern": "^(article|redFlagList):[a-z0-9]+(-[a-z0-9]+)*$" }""", "The cursor of a next link: the kind and slug of the last item of the page before."),
    ];

    /// <summary>The answer for the request's query: a page (cached with the snapshot) or the problem with the query.</summary>
    public static FeedBytes? Page(CurrentFeed feed, IQueryCollection query, out string? problem)
    {
        if (Parse(query, out problem) is not { } request)
        {
            return null;
        }

        return feed.Derived.GetOrAdd($"items:{request.Key}", _ => Build(feed, request));
    }

    private sealed record Request(
        DocumentKind? Kind, (string System, string Code)? Code, DateTime? ReviewDueBefore, DateTime? UpdatedSince,
        string[] Words, string[]? Fields, int Limit, (DocumentKind Kind, string Slug)? After, IReadOnlyList<(string Name, string Value)> Query)
    {
        /// <summary>The query in one order, escaped: the page's cache key, and its next link without the cursor.</summary>
        public string Key { get; } = string.Join('&', Query.Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value)}"));
    }

    private static Request? Parse(IQueryCollection query, out string? problem)
    {
        problem = null;
        var known = new HashSet<string>(Parameters.Select(p => p.Name), StringComparer.Ordinal);
        if (query.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            problem = $"Unknown parameter \u201c{unknown}\u201d. Known: {string.Join(", ", known)}.";
            return null;
        }

        if (query.FirstOrDefault(p => p.Value.Count > 1) is { Key: { } repeated })
        {
            problem = $"Give {repeated} once.";
            return null;
        }

        DocumentKind? kind = null;
        if (One(query, "kind") is { } kindText)
        {
            kind = kindText switch { FeedBuilder.ArticleKind => DocumentKind.Article, FeedBuilder.RedFlagListKind => DocumentKind.RedFlagList, _ => null };
            if (kind is null)
            {
                problem = "kind must be article or redFlagList.";
                return null;
            }
        }

        (string, string)? code = null;
        if (One(query, "system") is not null || One(query, "code") is not null)
        {
            code = CodeLookup.Parse(One(query, "system"), One(query, "code"), out problem);
            if (code is null)
            {
                return null;
            }
        }

        if (!TryTime(query, "reviewDueBefore", out var reviewDueBefore, ref problem) || !TryTime(query, "updatedSince", out var updatedSince, ref problem))
        {
            return null;
        }

        var q = One(query, "q") ?? "";
        if (q.Length > MaxQueryLength)
        {
            problem = $"q is longer than {MaxQueryLength} characters.";
            return null;
        }

        string[]? fields = null;
        if (One(query, "fields") is { } fieldList)
        {
            fields = fieldList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray();
            var unknownFields = fields.Where(f => !Fields.Contains(f)).ToList();
            if (fields.Length == 0 || unknownFields.Count > 0)
            {
                problem = unknownFields.Count > 0
                    ? $"Unknown field{(unknownFields.Count > 1 ? "s" : "")}: {string.Join(", ", unknownFields)}. Items have: {string.Join(", ", Fields.Order(StringComparer.Ordinal))}."
                    : "fields must name at least one field.";
                return null;
            }
        }

        var limit = DefaultLimit;
        if (One(query, "limit") is { } limitText && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxLimit))
        {
            problem = $"limit must be a whole number from 1 to {MaxLimit}.";
            return null;
        }

        (DocumentKind, string)? after = null;
        if (One(query, "after") is { } cursor)
        {
            after = Cursor(cursor);
            if (after is null)
            {
                problem = "after must be the cursor of a next link (kind:slug).";
                return null;
            }
        }

        var words = Search.Words(q);
        var pairs = query.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value.ToString())).ToList();
        return new Request(kind, code, reviewDueBefore, updatedSince, words, fields, limit, after, pairs);
    }

    private static string? One(IQueryCollection query, string name) => query[name] is { Count: 1 } value ? value[0] : null;

    private static bool TryTime(IQueryCollection query, string name, out DateTime? value, ref string? problem)
    {
        value = null;
        if (One(query, name) is not { } text)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = parsed.UtcDateTime;
            return true;
        }

        problem = $"{name} must be a date or a UTC date and time (ISO 8601, e.g. 2026-12-01 or 2026-12-01T09:00:00Z).";
        return false;
    }

    private static (DocumentKind, string)? Cursor(string text)
    {
        var colon = text.IndexOf(':');
        if (colon < 0)
        {
            return null;
        }

        DocumentKind? kind = text[..colon] switch { FeedBuilder.ArticleKind => DocumentKind.Article, FeedBuilder.RedFlagListKind => DocumentKind.RedFlagList, _ => null };
        var slug = text[(colon + 1)..];
        return kind is { } k && slug.Length is > 0 and <= 200 && slug.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') ? (k, slug) : null;
    }

    private static FeedBytes Build(CurrentFeed feed, Request request)
    {
        var index = Indexes.GetValue(feed, Index.Of);
        var items = feed.InFeedOrder;
        var start = request.After is { } after ? FirstAfter(items, after.Kind, after.Slug) : 0;
        var end = items.Count;
        if (request.Kind is { } kind)
        {
            // The feed's order puts all articles before all red-flag lists: a kind is one range.
            start = Math.Max(start, FirstAfter(items, kind, null));
            end = FirstAfter(items, kind + 1, null);
        }

        // The narrowest posting list (a code's, a word's) drives the walk; without one, the range itself.
        var postings = new List<int[]>();
        if (request.Code is { } code)
        {
            postings.Add(index.ByCode.GetValueOrDefault($"{code.System}|{code.Code}", []));
        }

        foreach (var word in request.Words)
        {
            postings.Add(Search.Positions(index, word));
        }

        var driver = postings.OrderBy(p => p.Length).FirstOrDefault();
        var others = postings.Where(p => !ReferenceEquals(p, driver)).ToList();
        var page = new List<int>(request.Limit + 1);
        foreach (var position in Candidates(driver, start, end))
        {
            if (request.ReviewDueBefore is { } due && !(index.ReviewDue[position] is { } itemDue && itemDue < due.Ticks))
            {
                continue;
            }

            if (request.UpdatedSince is { } since && index.ApprovedAt[position] < since.Ticks)
            {
                continue;
            }

            if (others.Any(p => Array.BinarySearch(p, position) < 0))
            {
                continue;
            }

            page.Add(position);
            if (page.Count > request.Limit)
            {
                break;
            }
        }

        var more = page.Count > request.Limit;
        if (more)
        {
            page.RemoveAt(page.Count - 1);
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = FeedBuilder.Json.Encoder }))
        {
            json.WriteStartObject();
            json.WriteNumber("snapshot", feed.SnapshotId);
            json.WriteStartArray("items");
            foreach (var position in page)
            {
                WriteItem(json, items[position].Json, request.Fields);
            }

            json.WriteEndArray();
            if (more)
            {
                var last = items[page[^1]].Entry;
                json.WriteString("next", $"/api/v1/items?{Next(request, $"{FeedBuilder.KindName(last.Kind)}:{last.Slug}")}");
            }
            else
            {
                json.WriteNull("next");
            }

            json.WriteEndObject();
        }

        return new FeedBytes(buffer.ToArray(), feed.PublishedAt);
    }

    private static IEnumerable<int> Candidates(int[]? postings, int start, int end)
    {
        if (postings is null)
        {
            for (var position = start; position < end; position++)
            {
                yield return position;
            }

            yield break;
        }

        var from = Array.BinarySearch(postings, start);
        for (var i = from < 0 ? ~from : from; i < postings.Length && postings[i] < end; i++)
        {
            yield return postings[i];
        }
    }

    /// <summary>The first position after (kind, slug) in the feed's order (slug null: the first of that kind).</summary>
    private static int FirstAfter(IReadOnlyList<ItemBytes> items, DocumentKind kind, string? slug)
    {
        int low = 0, high = items.Count;
        while (low < high)
        {
            var middle = low + (high - low) / 2;
            var entry = items[middle].Entry;
            var order = entry.Kind != kind ? entry.Kind.CompareTo(kind) : slug is null ? 1 : string.CompareOrdinal(entry.Slug, slug) > 0 ? 1 : -1;
            (low, high) = order > 0 ? (low, middle) : (middle + 1, high);
        }

        return low;
    }

    private static string Next(Request request, string cursor)
    {
        var pairs = request.Query.Where(p => p.Name != "after")
            .Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value)}")
            .Append($"after={Uri.EscapeDataString(cursor)}");
        return string.Join('&', pairs);
    }

    private static void WriteItem(Utf8JsonWriter json, ReadOnlyMemory<byte> item, string[]? fields)
    {
        if (fields is null)
        {
            json.WriteRawValue(item.Span, skipInputValidation: true);
            return;
        }

        using var document = JsonDocument.Parse(item);
        json.WriteStartObject();
        foreach (var field in fields)
        {
            if (document.RootElement.TryGetProperty(field, out var value))
            {
                json.WritePropertyName(field);
                value.WriteTo(json);
            }
        }

        json.WriteEndObject();
    }

    private static HashSet<string> KnownFields()
    {
        var definitions = JsonNode.Parse(FeedSchema.Bytes.Json.Span)!["$defs"]!;
        var item = definitions["item"]!["properties"]!.AsObject().Select(p => p.Key);
        var article = definitions["article"]!["allOf"]![1]!["properties"]!.AsObject().Select(p => p.Key);
        var list = definitions["redFlagList"]!["allOf"]![1]!["properties"]!.AsObject().Select(p => p.Key);
        return item.Concat(article).Concat(list).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>What the filters need of each item of a snapshot, by its position in the feed's order.</summary>
    internal sealed class Index
    {
        public required long[] ApprovedAt { get; init; }

        public required long?[] ReviewDue { get; init; }

        /// <summary>"system|code" → the positions of the items that carry it (ascending).</summary>
        public required Dictionary<string, int[]> ByCode { get; init; }

        /// <summary>
        /// A word (lower case) → the positions of the items whose text has it (ascending): the largest part,
        /// so built on the first request with q, not for every listing.
        /// </summary>
        public required Lazy<Dictionary<string, int[]>> ByWord { get; init; }

        public static Index Of(CurrentFeed feed)
        {
            var count = feed.InFeedOrder.Count;
            var approvedAt = new long[count];
            var reviewDue = new long?[count];
            var byCode = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (var position = 0; position < count; position++)
            {
                using var document = JsonDocument.Parse(feed.InFeedOrder[position].Json);
                var item = document.RootElement;
                approvedAt[position] = item.GetProperty("approvedAt").GetDateTime().ToUniversalTime().Ticks;
                reviewDue[position] = item.TryGetProperty("reviewDue", out var due) && due.ValueKind == JsonValueKind.String ? due.GetDateTime().ToUniversalTime().Ticks : null;
                foreach (var code in Codes(item))
                {
                    Add(byCode, code, position);
                }
            }

            return new Index
            {
                ApprovedAt = approvedAt,
                ReviewDue = reviewDue,
                ByCode = byCode.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal),
                ByWord = new(() => Words(feed), LazyThreadSafetyMode.ExecutionAndPublication),
            };
        }

        private static Dictionary<string, int[]> Words(CurrentFeed feed)
        {
            var byWord = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (var position = 0; position < feed.InFeedOrder.Count; position++)
            {
                using var document = JsonDocument.Parse(feed.InFeedOrder[position].Json);
                foreach (var word in Search.Words(Search.Text(document.RootElement)))
                {
                    Add(byWord, word, position);
                }
            }

            return byWord.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
        }

        private static IEnumerable<string> Codes(JsonElement item)
        {
            var flags = item.TryGetProperty("flags", out var list) ? list.EnumerateArray().ToList() : [];
            return new[] { item }.Concat(flags)
                .Where(e => e.TryGetProperty("codes", out _))
                .SelectMany(e => e.GetProperty("codes").EnumerateArray())
                .Select(c => $"{c.GetProperty("system").GetString()}|{c.GetProperty("code").GetString()}");
        }

        private static void Add(Dictionary<string, List<int>> index, string key, int position)
        {
            if (!index.TryGetValue(key, out var positions))
            {
                index[key] = positions = [];
            }

            // Positions come in ascending order; an item with the word twice is listed once.
            if (positions.Count == 0 || positions[^1] != position)
            {
                positions.Add(position);
            }
        }
    }

    /// <summary>
    /// The words search of the published items: every word of q must appear (any case) in the item's title,
    /// summary, body or flags. The one place to swap in the ranked full-text search (DocumentSearch) once it
    /// can search published texts; results stay in the feed's order so the cursor holds.
    /// </summary>
    internal static class Search
    {
        public static string[] Words(string text) =>
            text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
                .Select(w => new string(w.Where(char.IsLetterOrDigit).ToArray()))
                .Where(w => w.Length > 0).Distinct(StringComparer.Ordinal).ToArray();

        public static string Text(JsonElement item)
        {
            var parts = new List<string?> { Get(item, "title"), Get(item, "summary"), Get(item, "bodyMarkdown") };
            if (item.TryGetProperty("flags", out var flags))
            {
                parts.AddRange(flags.EnumerateArray().SelectMany(f => new[] { Get(f, "symptom"), Get(f, "advice") }));
            }

            return string.Join(' ', parts.Where(p => p is not null));
        }

        public static int[] Positions(Index index, string word) => index.ByWord.Value.GetValueOrDefault(word, []);

        private static string? Get(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.GetString() : null;
    }
}
