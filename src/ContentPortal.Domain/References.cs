namespace ContentPortal.Domain;

/// <summary>One citation of an article: where the advice comes from, and a link to it. Part of a version; never changed in place.</summary>
public sealed class ArticleReference
{
    public ArticleReference(int position, string source, string link)
    {
        Position = position;
        Source = source;
        Link = link;
    }

    public int Position { get; private set; }

    public string Source { get; private set; }

    public string Link { get; private set; }
}

/// <summary>A citation as typed: one line of the References field, "source link".</summary>
public sealed record ReferenceInput(string Source, string Link)
{
    public const int MaxReferences = 100;
    public const int MaxSourceLength = 500;
    public const int MaxLinkLength = 2000;

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
    public string ToLine() => Link.Length == 0 ? Source : Source.Length == 0 ? Link : $"{Source} {Link}";

    /// <summary>
    /// One citation per non-empty line: the last word starting with http:// or https:// is the link,
    /// the rest is the source. A line without a link is kept (Link empty) so validation can point at it.
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

            var cut = line.LastIndexOfAny([' ', '\t']);
            var last = cut < 0 ? line : line[(cut + 1)..];
            if (last.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || last.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                references.Add(new ReferenceInput(cut < 0 ? "" : line[..cut].TrimEnd(Separators), last));
            }
            else
            {
                references.Add(new ReferenceInput(line, ""));
            }
        }

        return references;
    }

    public static string ToLines(IEnumerable<ReferenceInput> references) => string.Join("\n", references.Select(r => r.ToLine()));

    /// <summary>The first problem of each citation, by line number (1-based), for the References field.</summary>
    public static string? Problem(IReadOnlyList<ReferenceInput> references)
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
            else
            {
                seen[link] = line;
            }
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }
}
