using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContentPortal.Domain;
using ContentPortal.Web.Data;
using Lucene.Net.Tartarus.Snowball.Ext;

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

    private static readonly ConditionalWeakTable<CurrentFeed, Lazy<Index>> Indexes = new();

    /// <summary>The top-level fields an item may have, from feed.schema.json (the one source of the item's shape).</summary>
    public static IReadOnlySet<string> Fields { get; } = KnownFields();

    public static FeedParameter[] Parameters { get; } =
    [
        new("kind", """{ "type": "string", "enum": ["article", "redFlagList"] }""", "Only articles or only red-flag lists."),
        new("system", """{ "type": "string", "enum": ["http://snomed.info/sct", "http://hl7.org/fhir/sid/icd-10"] }""", "With code: only items that carry the code (a list also when one of its flags does)."),
        new("code", """{ "type": "string" }""", "With system: a SNOMED CT concept id or an ICD-10 code."),
        new("reviewDueBefore", """{ "type": "string", "format": "date-time" }""", "Only items whose next clinical review is due before this time (UTC, or a date)."),
        new("updatedSince", """{ "type": "string", "format": "date-time" }""", "Only items approved at or after this time (UTC, or a date)."),
        new("q", $$"""{ "type": "string", "maxLength": {{MaxQueryLength}} }""", "The editors' search on the published texts: every word (in any of its forms), \"quoted phrases\", -word to leave out; in the title, summary, body or flags."),
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
        string Q, string[]? Fields, int Limit, (DocumentKind Kind, string Slug)? After, IReadOnlyList<(string Name, string Value)> Query)
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

        var pairs = query.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value.ToString())).ToList();
        return new Request(kind, code, reviewDueBefore, updatedSince, q, fields, limit, after, pairs);
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
        var index = Indexes.GetValue(feed, f => new Lazy<Index>(() => Index.Of(f), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
        var items = feed.InFeedOrder;
        var start = request.After is { } after ? FirstAfter(items, after.Kind, after.Slug) : 0;
        var end = items.Count;
        if (request.Kind is { } kind)
        {
            // The feed's order puts all articles before all red-flag lists: a kind is one range.
            start = Math.Max(start, FirstAfter(items, kind, null));
            end = FirstAfter(items, kind + 1, null);
        }

        // Each filter is a posting list (positions, ascending) or a check of one position; the shortest list
        // drives the walk (without one, the range itself), the others are looked up by binary search.
        var lists = new List<int[]>();
        var checks = new List<Func<int, bool>>();
        if (request.Code is { } code)
        {
            lists.Add(index.ByCode.GetValueOrDefault($"{code.System}|{code.Code}", []));
        }

        if (request.ReviewDueBefore is { } due)
        {
            index.ReviewDue.Before(due.Ticks, lists, checks);
        }

        if (request.UpdatedSince is { } since)
        {
            index.ApprovedAt.From(since.Ticks, lists, checks);
        }

        // Read after the index is built: its stems are numbered as the published texts are read.
        WordQuery.Parse(request.Q).Filters(index, items, lists, checks);
        lists.Sort((a, b) => a.Length.CompareTo(b.Length));
        var page = Walk(lists, checks, start, end, request.Limit + 1);
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

    /// <summary>The first <paramref name="count"/> positions in [start, end) that are in every list and pass every check.</summary>
    private static List<int> Walk(List<int[]> lists, List<Func<int, bool>> checks, int start, int end, int count)
    {
        var page = new List<int>(count);
        bool Matches(int position)
        {
            for (var i = 1; i < lists.Count; i++)
            {
                if (Array.BinarySearch(lists[i], position) < 0)
                {
                    return false;
                }
            }

            return checks.TrueForAll(check => check(position));
        }

        if (lists.Count == 0)
        {
            for (var position = start; position < end && page.Count < count; position++)
            {
                if (Matches(position))
                {
                    page.Add(position);
                }
            }

            return page;
        }

        var driver = lists[0];
        var from = Array.BinarySearch(driver, start);
        for (var i = from < 0 ? ~from : from; i < driver.Length && driver[i] < end && page.Count < count; i++)
        {
            if (Matches(driver[i]))
            {
                page.Add(driver[i]);
            }
        }

        return page;
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

    /// <summary>
    /// What the filters need of each item of a snapshot, by its position in the feed's order: built once per
    /// snapshot on its first listing (shared by every request after it) from each item's <see cref="Facts"/>,
    /// which are kept with the item's bytes: a publish reuses the bytes of the items it did not change, so the
    /// next snapshot's index reads only the changed items and regroups the rest.
    /// </summary>
    internal sealed class Index
    {
        private static readonly ConditionalWeakTable<ItemBytes, Facts> FactsOf = new();

        public required Dates ApprovedAt { get; init; }

        /// <summary>The next review's time (ticks), <see cref="long.MaxValue"/> for an item without one.</summary>
        public required Dates ReviewDue { get; init; }

        /// <summary>"system|code" → the positions of the items that carry it (ascending).</summary>
        public required Dictionary<string, int[]> ByCode { get; init; }

        /// <summary>A stem's number (<see cref="Search"/>) → the positions of the items whose text has it (ascending).</summary>
        public required int[]?[] ByStem { get; init; }

        /// <summary>The items it was built from and their facts, by position: what the next snapshot's index patches.</summary>
        private IReadOnlyList<ItemBytes> items = [];
        private Facts[] facts = [];

        // The index built last: the next snapshot's is patched from it where no item moved.
        private static Index? latest;

        public int[] Positions(int stem) => stem >= 0 && stem < ByStem.Length ? ByStem[stem] ?? [] : [];

        public static Index Of(CurrentFeed feed)
        {
            var index = Volatile.Read(ref latest)?.Patched(feed.InFeedOrder) ?? Built(feed.InFeedOrder);
            Volatile.Write(ref latest, index);
            return index;
        }

        /// <summary>
        /// This index edited for <paramref name="next"/>'s changed items, when every item kept its position (a
        /// publish that changed documents, added or removed none) and few changed: the cost follows the change
        /// (a pass comparing references, then only the changed items' posting lists and dates); otherwise null.
        /// </summary>
        private Index? Patched(IReadOnlyList<ItemBytes> next)
        {
            if (next.Count != items.Count)
            {
                return null;
            }

            var changed = new List<int>();
            for (var position = 0; position < next.Count; position++)
            {
                if (ReferenceEquals(next[position], items[position]))
                {
                    continue;
                }

                if (next[position].Entry.DocumentId != items[position].Entry.DocumentId || changed.Count * 8 > next.Count)
                {
                    return null;
                }

                changed.Add(position);
            }

            var nextFacts = (Facts[])facts.Clone();
            foreach (var position in changed)
            {
                nextFacts[position] = FactsOf.GetValue(next[position], Facts.Of);
            }

            var stemEdits = new Dictionary<int, Edit>();
            var codeEdits = new Dictionary<string, Edit>(StringComparer.Ordinal);
            foreach (var position in changed)
            {
                Edit.Note(stemEdits, facts[position].Stems, nextFacts[position].Stems, position);
                Edit.Note(codeEdits, facts[position].Codes, nextFacts[position].Codes, position);
            }

            var byStem = new int[]?[Math.Max(ByStem.Length, stemEdits.Keys.DefaultIfEmpty(-1).Max() + 1)];
            Array.Copy(ByStem, byStem, ByStem.Length);
            foreach (var (stem, edit) in stemEdits)
            {
                byStem[stem] = edit.Apply(byStem[stem] ?? []);
            }

            var byCode = new Dictionary<string, int[]>(ByCode, StringComparer.Ordinal);
            foreach (var (code, edit) in codeEdits)
            {
                byCode[code] = edit.Apply(byCode.GetValueOrDefault(code, []));
            }

            return new Index
            {
                ApprovedAt = ApprovedAt.With(changed.Select(p => (p, nextFacts[p].ApprovedAt)).ToList()),
                ReviewDue = ReviewDue.With(changed.Select(p => (p, nextFacts[p].ReviewDue)).ToList()),
                ByCode = byCode,
                ByStem = byStem,
                items = next,
                facts = nextFacts,
            };
        }

        private static Index Built(IReadOnlyList<ItemBytes> items)
        {
            var count = items.Count;
            var facts = new Facts[count];
            Parallel.For(0, count, position => facts[position] = FactsOf.GetValue(items[position], Facts.Of));

            var approvedAt = new long[count];
            var reviewDue = new long[count];
            var byCode = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            var stems = 0;
            for (var position = 0; position < count; position++)
            {
                approvedAt[position] = facts[position].ApprovedAt;
                reviewDue[position] = facts[position].ReviewDue;
                foreach (var code in facts[position].Codes)
                {
                    if (!byCode.TryGetValue(code, out var positions))
                    {
                        byCode[code] = positions = [];
                    }

                    if (positions.Count == 0 || positions[^1] != position)
                    {
                        positions.Add(position);
                    }
                }

                if (facts[position].Stems is [.., var highest])
                {
                    stems = Math.Max(stems, highest + 1);
                }
            }

            // Two passes (count, then fill) so each posting list is one array of its exact size.
            var lengths = new int[stems];
            foreach (var fact in facts)
            {
                foreach (var stem in fact.Stems)
                {
                    lengths[stem]++;
                }
            }

            var byStem = new int[]?[stems];
            var filled = new int[stems];
            for (var position = 0; position < count; position++)
            {
                foreach (var stem in facts[position].Stems)
                {
                    (byStem[stem] ??= new int[lengths[stem]])[filled[stem]++] = position;
                }
            }

            return new Index
            {
                ApprovedAt = Dates.Of(approvedAt),
                ReviewDue = Dates.Of(reviewDue),
                ByCode = byCode.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal),
                ByStem = byStem,
                items = items,
                facts = facts,
            };
        }
    }

    /// <summary>The positions to add to and remove from one posting list, applied in one merge.</summary>
    internal sealed class Edit
    {
        private readonly List<int> added = [];
        private readonly HashSet<int> removed = [];

        /// <summary>Notes what the item at <paramref name="position"/> no longer has and what it has now.</summary>
        public static void Note<TKey>(Dictionary<TKey, Edit> edits, IEnumerable<TKey> before, IEnumerable<TKey> after, int position)
            where TKey : notnull
        {
            var old = before.ToHashSet();
            var now = after.ToHashSet();
            foreach (var key in old.Except(now))
            {
                Of(edits, key).removed.Add(position);
            }

            foreach (var key in now.Except(old))
            {
                Of(edits, key).added.Add(position);
            }
        }

        private static Edit Of<TKey>(Dictionary<TKey, Edit> edits, TKey key)
            where TKey : notnull => edits.TryGetValue(key, out var edit) ? edit : edits[key] = new Edit();

        public int[] Apply(int[] positions)
        {
            added.Sort();
            var result = new List<int>(positions.Length + added.Count);
            var next = 0;
            foreach (var position in positions)
            {
                while (next < added.Count && added[next] < position)
                {
                    result.Add(added[next++]);
                }

                if (!removed.Contains(position))
                {
                    result.Add(position);
                }
            }

            result.AddRange(added.Skip(next));
            return result.ToArray();
        }
    }

    /// <summary>One item's dates, codes and stems (numbers, ascending), read once from its published JSON.</summary>
    internal sealed record Facts(long ApprovedAt, long ReviewDue, string[] Codes, int[] Stems)
    {
        public static Facts Of(ItemBytes bytes)
        {
            using var document = JsonDocument.Parse(bytes.Json);
            var item = document.RootElement;
            var approvedAt = item.GetProperty("approvedAt").GetDateTime().ToUniversalTime().Ticks;
            var reviewDue = item.TryGetProperty("reviewDue", out var due) && due.ValueKind == JsonValueKind.String ? due.GetDateTime().ToUniversalTime().Ticks : long.MaxValue;
            var stems = new HashSet<int>();
            foreach (var text in Search.Texts(item))
            {
                Search.Stems(text, stems);
            }

            var sorted = stems.ToArray();
            Array.Sort(sorted);
            return new Facts(approvedAt, reviewDue, CodesOf(item).Distinct(StringComparer.Ordinal).ToArray(), sorted);
        }

        private static IEnumerable<string> CodesOf(JsonElement item)
        {
            var flags = item.TryGetProperty("flags", out var list) ? list.EnumerateArray().ToList() : [];
            return new[] { item }.Concat(flags)
                .Where(e => e.TryGetProperty("codes", out _))
                .SelectMany(e => e.GetProperty("codes").EnumerateArray())
                .Select(c => $"{c.GetProperty("system").GetString()}|{c.GetProperty("code").GetString()}");
        }
    }

    /// <summary>
    /// A date of every item, sorted (with the items' positions): the items before or from a time are one run
    /// of it, found by binary search. A short run becomes a posting list (its positions sorted); a long one is
    /// checked item by item, as most items pass.
    /// </summary>
    internal sealed class Dates
    {
        private long[] byPosition = [];
        private long[] sorted = [];
        private int[] positions = [];

        public static Dates Of(long[] byPosition)
        {
            var sorted = (long[])byPosition.Clone();
            var positions = Enumerable.Range(0, byPosition.Length).ToArray();
            Array.Sort(sorted, positions);
            return new Dates { byPosition = byPosition, sorted = sorted, positions = positions };
        }

        /// <summary>These dates with some items' changed: the others keep their order, the changed are merged in.</summary>
        public Dates With(IReadOnlyList<(int Position, long Value)> changes)
        {
            var values = (long[])byPosition.Clone();
            foreach (var (position, value) in changes)
            {
                values[position] = value;
            }

            var moved = changes.Select(c => c.Position).ToHashSet();
            var merged = changes.OrderBy(c => c.Value).ToList();
            var nextSorted = new long[sorted.Length];
            var nextPositions = new int[sorted.Length];
            int write = 0, next = 0;
            for (var i = 0; i < sorted.Length; i++)
            {
                if (moved.Contains(positions[i]))
                {
                    continue;
                }

                for (; next < merged.Count && merged[next].Value < sorted[i]; next++, write++)
                {
                    (nextSorted[write], nextPositions[write]) = (merged[next].Value, merged[next].Position);
                }

                (nextSorted[write], nextPositions[write]) = (sorted[i], positions[i]);
                write++;
            }

            for (; next < merged.Count; next++, write++)
            {
                (nextSorted[write], nextPositions[write]) = (merged[next].Value, merged[next].Position);
            }

            return new Dates { byPosition = values, sorted = nextSorted, positions = nextPositions };
        }

        /// <summary>The items whose date is before <paramref name="ticks"/>.</summary>
        public void Before(long ticks, List<int[]> lists, List<Func<int, bool>> checks) =>
            Run(0, LowerBound(ticks), position => byPosition[position] < ticks, lists, checks);

        /// <summary>The items whose date is at or after <paramref name="ticks"/>.</summary>
        public void From(long ticks, List<int[]> lists, List<Func<int, bool>> checks) =>
            Run(LowerBound(ticks), sorted.Length, position => byPosition[position] >= ticks, lists, checks);

        private void Run(int from, int to, Func<int, bool> check, List<int[]> lists, List<Func<int, bool>> checks)
        {
            // Sorting a run costs about its length; walking with a check costs about (limit × items ÷ run).
            // A run of up to a sixteenth of the items is sorted, so a walk reads at most 16 items per match.
            if ((long)(to - from) * 16 <= sorted.Length)
            {
                var run = positions[from..to];
                Array.Sort(run);
                lists.Add(run);
            }
            else
            {
                checks.Add(check);
            }
        }

        private int LowerBound(long ticks)
        {
            int low = 0, high = sorted.Length;
            while (low < high)
            {
                var middle = low + (high - low) / 2;
                (low, high) = sorted[middle] < ticks ? (middle + 1, high) : (low, middle);
            }

            return low;
        }
    }

    /// <summary>
    /// <c>q</c> on the published items, as the editors' ranked search reads what is typed (SearchQuery, FTS5's
    /// porter tokenizer): words in any order and in any of their forms (the porter stemmer: "stretches" finds
    /// "stretching"), "quoted phrases" (those words next to each other), <c>or</c> between two, <c>-word</c> to
    /// leave out; PostgreSQL's English stop words are left out. The title, summary, body and flags are searched; results stay in the
    /// feed's order, so the cursor holds.
    /// </summary>
    internal static class Search
    {
        // Stems are numbered once per process (the vocabulary, not the corpus, sets their count); forms as
        // published map to their stem's number (-1: a stop word), so each form is stemmed once.
        private static readonly ConcurrentDictionary<string, int> StemNumbers = new(StringComparer.Ordinal);
        private static readonly ConcurrentDictionary<string, int> FormStems = new(StringComparer.Ordinal);
        private static readonly ThreadLocal<PorterStemmer> Stemmer = new(() => new PorterStemmer());
        private static int nextStem = -1;

        public static string Stem(string word)
        {
            var stemmer = Stemmer.Value!;
            stemmer.SetCurrent(word);
            stemmer.Stem();
            return stemmer.Current;
        }

        /// <summary>The number of a published form's stem, numbering a new one (-1 for a stop word).</summary>
        private static int Number(ReadOnlySpan<char> form)
        {
            var forms = FormStems.GetAlternateLookup<ReadOnlySpan<char>>();
            if (forms.TryGetValue(form, out var number))
            {
                return number;
            }

            var word = form.ToString();
            number = SearchQuery.StopWords.Contains(word) ? -1 : StemNumbers.GetOrAdd(Stem(word), _ => Interlocked.Increment(ref nextStem));
            return FormStems.GetOrAdd(word, number);
        }

        /// <summary>The number of a query word's stem, or null when no published text has it (nothing is numbered).</summary>
        public static int? Known(string word) =>
            FormStems.TryGetValue(word, out var number) ? number : StemNumbers.TryGetValue(Stem(word), out number) ? number : null;

        /// <summary>Adds the stems of <paramref name="text"/>'s words (letters and digits, any case) to <paramref name="stems"/>.</summary>
        public static void Stems(string text, HashSet<int> stems)
        {
            Span<char> buffer = stackalloc char[64];
            var length = 0;
            for (var i = 0; i <= text.Length; i++)
            {
                if (i < text.Length && char.IsLetterOrDigit(text[i]))
                {
                    if (length < buffer.Length)
                    {
                        buffer[length] = char.ToLowerInvariant(text[i]);
                    }

                    length++;
                    continue;
                }

                if (length > 0)
                {
                    // A word longer than the buffer is read again from the text.
                    var form = length <= buffer.Length ? buffer[..length] : text.AsSpan(i - length, length).ToString().ToLowerInvariant().AsSpan();
                    if (Number(form) is var number and >= 0)
                    {
                        stems.Add(number);
                    }

                    length = 0;
                }
            }
        }

        /// <summary>The texts q searches: title, summary, body, and each flag's symptom and advice.</summary>
        public static IEnumerable<string> Texts(JsonElement item)
        {
            foreach (var name in (string[])["title", "summary", "bodyMarkdown"])
            {
                if (Get(item, name) is { } text)
                {
                    yield return text;
                }
            }

            if (item.TryGetProperty("flags", out var flags))
            {
                foreach (var flag in flags.EnumerateArray())
                {
                    if (Get(flag, "symptom") is { } symptom)
                    {
                        yield return symptom;
                    }

                    if (Get(flag, "advice") is { } advice)
                    {
                        yield return advice;
                    }
                }
            }
        }

        private static string? Get(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.GetString() : null;
    }

    /// <summary>What q asks (read by <see cref="SearchQuery"/>, as the editors' search reads it), as posting lists and checks.</summary>
    internal sealed class WordQuery(SearchQuery query)
    {
        public static WordQuery Parse(string text) => new(SearchQuery.Parse(text));

        /// <summary>Adds the posting lists and checks that this query puts on a page's walk.</summary>
        public void Filters(Index index, IReadOnlyList<ItemBytes> items, List<int[]> lists, List<Func<int, bool>> checks)
        {
            // The item's words as stems, read from its text only for a phrase, once per item.
            var sequences = new Dictionary<int, List<string?>>();
            List<string?> Sequence(int position) => sequences.TryGetValue(position, out var stems) ? stems : sequences[position] = Stems(items[position]);

            // A term's stems (stop words left out: not indexed); a stem no published text has matches nothing.
            int[][] Postings(SearchQuery.Term term) =>
                term.Text.Split(' ').Where(w => !SearchQuery.StopWords.Contains(w)).Select(w => Search.Known(w) is { } stem ? index.Positions(stem) : []).ToArray();

            bool Has(SearchQuery.Term term, int[][] postings, int position) =>
                postings.All(p => Array.BinarySearch(p, position) >= 0)
                && (!term.Phrase || Contains(Sequence(position), term.Text.Split(' ').Select(Search.Stem).ToArray()));

            var groups = new List<List<SearchQuery.Term>>();

            // A phrase of stop words only asks nothing (PostgreSQL drops it), rather than a read of every item.
            foreach (var term in query.Terms.Where(t => t.Text.Split(' ').Any(w => !SearchQuery.StopWords.Contains(w))))
            {
                if (term.Excluded)
                {
                    var postings = Postings(term);
                    checks.Add(position => !Has(term, postings, position));
                }
                else if (term.OrBefore && groups.Count > 0)
                {
                    groups[^1].Add(term);
                }
                else
                {
                    groups.Add([term]);
                }
            }

            foreach (var group in groups)
            {
                if (group is [var only])
                {
                    // One term: its words' lists join the walk's, so the rarest word drives it.
                    var postings = Postings(only);
                    lists.AddRange(postings);
                    if (only.Phrase)
                    {
                        checks.Add(position => Has(only, [], position));
                    }
                }
                else
                {
                    var alternatives = group.Select(t => (Term: t, Postings: Postings(t))).ToList();
                    checks.Add(position => alternatives.Exists(a => Has(a.Term, a.Postings, position)));
                }
            }
        }

        /// <summary>The item's words as stems, in order; a break between texts (title, summary…) breaks a phrase.</summary>
        private static List<string?> Stems(ItemBytes item)
        {
            using var document = JsonDocument.Parse(item.Json);
            var stems = new List<string?>();
            foreach (var text in Search.Texts(document.RootElement))
            {
                stems.AddRange(SearchQuery.Words(text).Select(Search.Stem));
                stems.Add(null);
            }

            return stems;
        }

        private static bool Contains(List<string?> stems, string[] phrase)
        {
            for (var start = 0; start + phrase.Length <= stems.Count; start++)
            {
                var i = 0;
                while (i < phrase.Length && stems[start + i] == phrase[i])
                {
                    i++;
                }

                if (i == phrase.Length)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
