using ContentPortal.Domain;

namespace ContentPortal.Web.Pages;

/// <summary>Content as readers will see it (typed or stored), for <c>_Rendered.cshtml</c>.</summary>
public sealed record RenderedContent(DocumentKind Kind, VersionContent Content);

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
