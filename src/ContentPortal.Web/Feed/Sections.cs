using System.Text.Json.Nodes;
using ContentPortal.Domain;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using ContentPortal.Web.Infrastructure;

namespace ContentPortal.Web.Feed;

/// <summary>
/// Splits an article body into sections at its level 1 and 2 headings (deeper headings stay inside a
/// section). Text before the first heading is a section with an empty headline. A section carries the health aspect
/// chosen for its heading (<see cref="HealthAspects.SectionKey"/>, the key the editor's choices are stored under).
/// </summary>
public static class Sections
{
    /// <summary>The whole body as sanitized HTML (<see cref="Markdown.ToSafeHtml(string)"/>) and its sections, with one pass of the sanitizer.</summary>
    public static (string BodyHtml, IReadOnlyList<FeedSection> Sections) Render(string markdown, IReadOnlyList<SectionAspect>? aspects = null)
    {
        var chosen = (aspects ?? []).ToDictionary(a => a.Heading, a => HealthAspects.Name(a.Aspect), StringComparer.Ordinal);
        var document = Markdown.Parse(markdown);
        var headings = document.OfType<HeadingBlock>().Where(h => h.Level <= 2).ToList();
        // Each section's Markdown, headline and aspect; the body first, then the sections, go to the sanitizer together.
        var texts = new List<string> { markdown };
        var parts = new List<(string Headline, string? Aspect)>();
        var intro = markdown[..(headings.Count > 0 ? headings[0].Span.Start : markdown.Length)];
        if (!string.IsNullOrWhiteSpace(intro))
        {
            texts.Add(intro);
            parts.Add(("", chosen.GetValueOrDefault("")));
        }

        for (var i = 0; i < headings.Count; i++)
        {
            var heading = headings[i];
            var start = heading.Span.End + 1;
            var end = i + 1 < headings.Count ? headings[i + 1].Span.Start : markdown.Length;
            texts.Add(start < end ? markdown[start..end] : "");
            parts.Add((PlainText(heading.Inline).Trim(), chosen.GetValueOrDefault(HealthAspects.SectionKey(heading))));
        }

        var html = Markdown.ToSafeHtml(texts);
        var sections = parts.Select((p, i) => new FeedSection(i + 1, p.Headline, html[i + 1].Trim()) { Aspect = p.Aspect }).ToList();
        return (html[0], sections);
    }

    /// <summary>The item endpoint's <c>?aspects=</c> parameter (a comma list of short names), for the OpenAPI document.</summary>
    public static FeedParameter AspectsParameter { get; } = new("aspects",
        $$"""{ "type": "string", "pattern": "^({{string.Join('|', HealthAspects.All)}})(,({{string.Join('|', HealthAspects.All)}}))*$" }""",
        "Only the sections with these health aspects (a comma list of short names, e.g. Treatments,Symptoms); an unknown name is a 400.");

    /// <summary>
    /// The health aspects <c>?aspects=</c> asks for, distinct and in the enumeration's order (so one selection is one
    /// cached answer, whatever order it was asked in); null when it is absent. False with a problem naming what is wrong.
    /// </summary>
    public static bool TryAspects(IQueryCollection query, out IReadOnlyList<HealthAspect>? aspects, out string? problem)
    {
        (aspects, problem) = (null, null);
        var given = query["aspects"];
        if (given.Count == 0)
        {
            return true;
        }

        var names = given.Count == 1 ? (given[0] ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
        if (names.Length == 0)
        {
            problem = "Give aspects once, as a comma list of health aspects, e.g. aspects=Treatments,Symptoms.";
            return false;
        }

        var unknown = names.Where(n => !HealthAspects.TryParse(n, out _)).ToList();
        if (unknown.Count > 0)
        {
            problem = $"Unknown health aspect{(unknown.Count > 1 ? "s" : "")}: {string.Join(", ", unknown)}. Known: {string.Join(", ", HealthAspects.All)}.";
            return false;
        }

        aspects = names.Select(n => HealthAspects.TryParse(n, out var a) ? a : default).Distinct().Order().ToList();
        return true;
    }

    /// <summary>
    /// An article's JSON with only the sections of those aspects (the rest of the item, its body included, as published),
    /// made once per selection and kept with the snapshot; its own bytes, so its own ETag. <paramref name="selection"/>
    /// names the selection for the renditions' cache.
    /// </summary>
    public static FeedBytes Only(CurrentFeed feed, FeedBytes article, string slug, IReadOnlyList<HealthAspect> aspects, out string selection)
    {
        var names = string.Join(',', aspects);
        selection = $"{slug}?aspects={names}";
        return feed.Derived.GetOrAdd($"aspects:{names}:{FeedBuilder.ArticleKind}:{slug}", _ =>
        {
            var item = JsonNode.Parse(article.Json.Span)!.AsObject();
            var wanted = aspects.Select(HealthAspects.Name).ToHashSet(StringComparer.Ordinal);
            var kept = item["sections"]!.AsArray().Where(s => (string?)s!["aspect"] is { } aspect && wanted.Contains(aspect)).Select(s => s!.DeepClone()).ToArray();
            item["sections"] = new JsonArray(kept);
            return new FeedBytes(System.Text.Encoding.UTF8.GetBytes(item.ToJsonString(FeedBuilder.Json)), feed.PublishedAt);
        });
    }

    private static string PlainText(ContainerInline? inline)
    {
        if (inline is null)
        {
            return "";
        }

        var text = new System.Text.StringBuilder();
        foreach (var child in inline)
        {
            switch (child)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
                case LineBreakInline:
                    text.Append(' ');
                    break;
                case ContainerInline container:
                    text.Append(PlainText(container));
                    break;
            }
        }

        return text.ToString();
    }
}
