using ContentPortal.Domain;
using ContentPortal.Web.Infrastructure;

namespace ContentPortal.Web.Pages;

/// <summary>Content as readers will see it (typed or stored), for <c>_Rendered.cshtml</c>.</summary>
public sealed record RenderedContent(DocumentKind Kind, VersionContent Content)
{
    /// <summary>Sentences to mark in an article's body (the editor's hardest sentences); none elsewhere.</summary>
    public IReadOnlyList<string> Highlight { get; init; } = [];
}

/// <summary>The editor's live preview: the content as readers see it, its hardest sentences marked, and its reading age beside it.</summary>
public sealed record LivePreview(RenderedContent Rendered, QualityView Quality)
{
    public static LivePreview Of(DocumentKind kind, VersionContent content, ContentOptions options)
    {
        var quality = QualityView.Of(kind, content, options.ReadingAgeTarget, options.JargonList);
        return new(new RenderedContent(kind, content) { Highlight = quality.Hardest.Select(s => s.Text).ToList() }, quality);
    }
}

/// <summary>A comparison to show: "inline" or "side" by side, with names for the two sides.</summary>
public sealed record ComparisonView(ContentComparison Comparison, string View, string OldLabel, string NewLabel)
{
    /// <summary>What <paramref name="shown"/> changes against the published version; null when there is none or it is the same version.</summary>
    public static ComparisonView? AgainstPublished(DocumentKind kind, DocumentVersion? published, DocumentVersion shown, string? view) =>
        published is null || published.Id == shown.Id
            ? null
            : new(
                ContentComparison.Of(kind, published.CurrentContent(), shown.CurrentContent()),
                view == "side" ? "side" : "inline",
                $"Published (version {published.Number})",
                $"Version {shown.Number}");
}
