namespace ContentPortal.Web.Infrastructure;

/// <summary>Configuration section "Workflow".</summary>
public sealed class WorkflowOptions
{
    /// <summary>Distinct reviewer signatures needed before a version is approved (default 1).</summary>
    public int RequiredApprovals { get; set; } = 1;
}
