using ContentPortal.Domain;

namespace ContentPortal.Web.Pages;

/// <summary>Content as readers will see it (typed or stored), for <c>_Rendered.cshtml</c>.</summary>
public sealed record RenderedContent(DocumentKind Kind, VersionContent Content);
