namespace ContentPortal.Web.Infrastructure;

/// <summary>Configuration section "Workflow".</summary>
public sealed class WorkflowOptions
{
    /// <summary>Distinct reviewer signatures needed before a version is approved (default 1).</summary>
    public int RequiredApprovals { get; set; } = 1;

    /// <summary>Days a review claim lasts before it lapses on its own (default 3; kept within 1–365).</summary>
    public int ClaimDays { get; set; } = 3;

    public TimeSpan ClaimLifetime => TimeSpan.FromDays(Math.Clamp(ClaimDays, 1, 365));
}
