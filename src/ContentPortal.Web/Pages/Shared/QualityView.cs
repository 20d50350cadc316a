using ContentPortal.Domain;

namespace ContentPortal.Web.Pages;

/// <summary>
/// Readability against the target and the plain-English findings of some content (typed or stored), for
/// <c>_Quality.cshtml</c>: the editor's live panel, the review screen and the signed record.
/// </summary>
public sealed record QualityView(Readability Readability, int Target, IReadOnlyList<PlainEnglishFinding> Findings)
{
    /// <summary>How many of the hardest sentences are offered (and highlighted in the preview).</summary>
    public const int HardestShown = 3;

    public static QualityView Of(DocumentKind kind, VersionContent content, int target, IReadOnlyDictionary<string, string> jargon) =>
        new(ClinicalQuality.Measure(kind, content), target, ClinicalQuality.PlainEnglishOf(kind, content, jargon));

    public bool AboveTarget => ClinicalQuality.NeedsReason(Readability, Target);

    public IReadOnlyList<SentenceStat> Hardest => Readability.Hardest(HardestShown);
}

/// <summary>Marks sentences in rendered (already sanitized) HTML, so the editor sees which ones raise the reading age.</summary>
public static class SentenceMarks
{
    public const int MaxMarkedLength = 2000;

    /// <summary>
    /// Wraps the first occurrence of each sentence in <c>&lt;mark class="hard-sentence"&gt;</c>. Only a sentence
    /// that appears as one run of text is marked (one with a link or emphasis inside is listed, not marked);
    /// the sentences are encoded the way the Markdown renderer encodes text, so nothing unsafe is added.
    /// </summary>
    public static string Mark(string html, IEnumerable<string> sentences)
    {
        foreach (var sentence in sentences.Where(s => s.Length <= MaxMarkedLength))
        {
            // Markdig escapes only these four in text; everything else (’, é) stays as typed.
            var encoded = sentence.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
            var at = html.IndexOf(encoded, StringComparison.Ordinal);
            if (encoded.Length is 0 or > MaxMarkedLength || at < 0)
            {
                continue;
            }

            html = html[..at] + "<mark class=\"hard-sentence\">" + encoded + "</mark>" + html[(at + encoded.Length)..];
        }

        return html;
    }
}
