using ContentPortal.Domain;

namespace ContentPortal.Web.Pages;

/// <summary>Content as readers will see it (typed or stored), for <c>_Rendered.cshtml</c>.</summary>
public sealed record RenderedContent(DocumentKind Kind, VersionContent Content);

/// <summary>A comparison to show: "inline" or "side" by side, with names for the two sides.</summary>
public sealed record ComparisonView(ContentComparison Comparison, string View, string OldLabel, string NewLabel);
