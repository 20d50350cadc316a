using System.Runtime.CompilerServices;
using System.Text.Json;
using ContentPortal.Domain;

namespace ContentPortal.Web.Feed;

/// <summary>
/// <c>GET /api/v1/lookup?system=&amp;code=</c>: the current snapshot's articles and red-flag lists that carry a code
/// (a list matches when the list or any of its flags does). The index is built from the published JSON once per
/// snapshot; an answer for a code that is in the snapshot is kept with it (so at most one per code it carries),
/// an answer for any other valid code is two empty lists and is built per request.
/// </summary>
public static class CodeLookup
{
    public const int MaxCodeLength = 40;

    private static readonly ConditionalWeakTable<CurrentFeed, Dictionary<(string System, string Code), Hits>> Indexes = new();

    private sealed record Hits(List<ReadOnlyMemory<byte>> Articles, List<ReadOnlyMemory<byte>> RedFlagLists);

    /// <summary>The system's URI and the code as stored (ICD-10 in capitals), or the problem with them as a sentence.</summary>
    public static (string System, string Code)? Parse(string? system, string? code, out string? problem)
    {
        problem = null;
        var uri = CodeSystems.FromTyped(system);
        if (uri is null)
        {
            problem = string.IsNullOrWhiteSpace(system)
                ? $"Give system={CodeSystems.Snomed} or system={CodeSystems.Icd10}."
                : $"system must be {CodeSystems.Snomed} (SNOMED CT) or {CodeSystems.Icd10} (ICD-10).";
            return null;
        }

        var trimmed = (code ?? "").Trim();
        if (trimmed.Length == 0)
        {
            problem = "Give the code to look up, e.g. code=279039007.";
            return null;
        }

        if (trimmed.Length > MaxCodeLength)
        {
            problem = $"The code is longer than {MaxCodeLength} characters; no {CodeSystems.Name(uri)} code is.";
            return null;
        }

        if (uri == CodeSystems.Icd10)
        {
            trimmed = trimmed.ToUpperInvariant();
        }

        problem = ClinicalCode.CodeProblem(uri, trimmed);
        return problem is null ? (uri, trimmed) : null;
    }

    public static FeedBytes Answer(CurrentFeed feed, string system, string code)
    {
        var index = Indexes.GetValue(feed, Build);
        if (!index.TryGetValue((system, code), out var hits))
        {
            return new FeedBytes(Write(system, code, [], []), feed.PublishedAt);
        }

        return feed.Derived.GetOrAdd($"lookup:{system}|{code}", _ => new FeedBytes(Write(system, code, hits.Articles, hits.RedFlagLists), feed.PublishedAt));
    }

    private static Dictionary<(string, string), Hits> Build(CurrentFeed feed)
    {
        var index = new Dictionary<(string, string), Hits>();
        foreach (var item in feed.Items.Values.OrderBy(i => i.Slug, StringComparer.Ordinal))
        {
            using var json = JsonDocument.Parse(item.Json);
            var codes = new HashSet<(string, string)>();
            Collect(json.RootElement, codes);
            if (json.RootElement.TryGetProperty("flags", out var flags))
            {
                foreach (var flag in flags.EnumerateArray())
                {
                    Collect(flag, codes);
                }
            }

            foreach (var key in codes)
            {
                if (!index.TryGetValue(key, out var hits))
                {
                    index[key] = hits = new Hits([], []);
                }

                (item.Kind == FeedBuilder.ArticleKind ? hits.Articles : hits.RedFlagLists).Add(item.Json);
            }
        }

        return index;
    }

    // Snapshots published before codes existed have no "codes": they simply match nothing.
    private static void Collect(JsonElement element, HashSet<(string, string)> codes)
    {
        if (element.TryGetProperty("codes", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var code in list.EnumerateArray())
            {
                codes.Add((code.GetProperty("system").GetString()!, code.GetProperty("code").GetString()!));
            }
        }
    }

    private static byte[] Write(string system, string code, IEnumerable<ReadOnlyMemory<byte>> articles, IEnumerable<ReadOnlyMemory<byte>> lists)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = FeedBuilder.Json.Encoder }))
        {
            json.WriteStartObject();
            json.WriteString("system", system);
            json.WriteString("code", code);
            foreach (var (name, items) in new[] { ("articles", articles), ("redFlagLists", lists) })
            {
                json.WriteStartArray(name);
                foreach (var item in items)
                {
                    json.WriteRawValue(item.Span, skipInputValidation: true);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
