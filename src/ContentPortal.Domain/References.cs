namespace ContentPortal.Domain;

/// <summary>One citation of an article: where the advice comes from, and a link to it. Part of a version; never changed in place.</summary>
public sealed class ArticleReference
{
    public ArticleReference(int position, string source, string link, string? section = null)
    {
        Position = position;
        Source = source;
        Link = link;
        Section = section;
    }

    public int Position { get; private set; }

    public string Source { get; private set; }

    public string Link { get; private set; }

    /// <summary>The heading of the article this source supports; null when it supports the article as a whole.</summary>
    public string? Section { get; private set; }
}

/// <summary>A citation as typed: one line of the References field, "source link", optionally followed by the heading it supports.</summary>
public sealed record ReferenceInput(string Source, string Link)
{
    public const int MaxReferences = 100;
    public const int MaxSourceLength = 500;
    public const int MaxLinkLength = 2000;
    public const int MaxSectionLength = 200;

    /// <summary>The heading of the article this source supports (text after the link); null for the whole article.</summary>
    public string? Section { get; init; }

    private static readonly char[] Separators = [' ', '\t', '-', '–', '—', '|', ',', ':', ';'];

    /// <summary>
    /// The link as stored and served: an absolute http(s) address in its canonical, percent-encoded form
    /// (spaces, non-ASCII letters and quotes encoded; host lower-cased), so consumers can put it in an
    /// href as it is. A link that is not valid is returned trimmed (validation names it).
    /// </summary>
    public static string Normalise(string link)
    {
        var trimmed = link.Trim();
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            return trimmed;
        }

        // A bare host stays as typed ("https://a.example"), without the "/" the canonical form adds.
        var bare = uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0 && !trimmed.EndsWith('/');
        return bare ? uri.AbsoluteUri.TrimEnd('/') : uri.AbsoluteUri;
    }

    /// <summary>The line as the editor shows it.</summary>
    public string ToLine()
    {
        var line = Link.Length == 0 ? Source : Source.Length == 0 ? Link : $"{Source} {Link}";
        return string.IsNullOrWhiteSpace(Section) ? line : $"{line} {Section}";
    }

    /// <summary>
    /// One citation per non-empty line: the last word starting with http:// or https:// is the link,
    /// the rest is the source. A line without a link is kept (Link empty) so validation can point at it.
    /// Text after the link names the section (a heading of the article) the source supports.
    /// </summary>
    public static IReadOnlyList<ReferenceInput> ParseLines(string? text)
    {
        var references = new List<ReferenceInput>();
        foreach (var raw in (text ?? "").Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var (start, end) = LastLink(line);
            if (start < 0)
            {
                references.Add(new ReferenceInput(line, ""));
                continue;
            }

            var section = line[end..].Trim().TrimStart(Separators).Trim();
            references.Add(new ReferenceInput(line[..start].TrimEnd(Separators), line[start..end])
            {
                Section = section.Length == 0 ? null : section,
            });
        }

        return references;
    }

    /// <summary>Where the last word starting with http:// or https:// starts and ends; (-1, -1) when there is none.</summary>
    private static (int Start, int End) LastLink(string line)
    {
        var found = (-1, -1);
        var i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            var start = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            var word = line[start..i];
            if (word.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || word.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                found = (start, i);
            }
        }

        return found;
    }

    public static string ToLines(IEnumerable<ReferenceInput> references) => string.Join("\n", references.Select(r => r.ToLine()));

    /// <summary>
    /// The first problem of each citation, by line number (1-based), for the References field. With
    /// <paramref name="headings"/> (the article's headings) a named section must be one of them.
    /// </summary>
    public static string? Problem(IReadOnlyList<ReferenceInput> references, IReadOnlyCollection<string>? headings = null)
    {
        if (references.Count > MaxReferences)
        {
            return $"There are {references.Count} references; the limit is {MaxReferences}.";
        }

        var problems = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < references.Count; i++)
        {
            var (source, link) = (references[i].Source.Trim(), Normalise(references[i].Link));
            var line = i + 1;
            if (source.Length == 0)
            {
                problems.Add($"Line {line}: name the source before the link.");
            }
            else if (source.Length > MaxSourceLength)
            {
                problems.Add($"Line {line}: the source is longer than {MaxSourceLength} characters.");
            }
            else if (link.Length == 0)
            {
                problems.Add($"Line {line}: add a link starting with https:// after the source.");
            }
            else if (link.Length > MaxLinkLength || !Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0
                || !string.IsNullOrEmpty(uri.UserInfo))
            {
                problems.Add($"Line {line}: the link is not a valid http or https address.");
            }
            else if (seen.TryGetValue(link, out var first))
            {
                problems.Add($"Line {line}: this link is already cited on line {first}.");
            }
            else if (references[i].Section is { } section && section.Trim().Length > MaxSectionLength)
            {
                problems.Add($"Line {line}: the section after the link is longer than {MaxSectionLength} characters.");
            }
            else if (references[i].Section is { } named && headings is not null
                     && !headings.Contains(named.Trim(), StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"Line {line}: \u201c{named.Trim()}\u201d is not a heading of this article; after the link, name the heading the source supports, or leave it out.");
                seen[link] = line;
            }
            else
            {
                seen[link] = line;
            }
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }
}
