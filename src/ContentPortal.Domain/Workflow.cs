namespace ContentPortal.Domain;

public enum VersionStatus
{
    Draft,
    InReview,
    ChangesRequested,
    Approved,
}

public enum WorkflowAction
{
    Submit,
    Approve,
    RequestChanges,
}

/// <summary>
/// The review workflow as one table: Draft → In review → Approved, or In review → Changes requested.
/// A version with changes requested is never edited again; the editor's next edit opens a new draft.
/// </summary>
public static class Workflow
{
    private static readonly Dictionary<(VersionStatus From, WorkflowAction Action), VersionStatus> Transitions = new()
    {
        [(VersionStatus.Draft, WorkflowAction.Submit)] = VersionStatus.InReview,
        [(VersionStatus.InReview, WorkflowAction.Approve)] = VersionStatus.Approved,
        [(VersionStatus.InReview, WorkflowAction.RequestChanges)] = VersionStatus.ChangesRequested,
    };

    private static readonly Dictionary<WorkflowAction, string> RequiredRole = new()
    {
        [WorkflowAction.Submit] = Roles.Editor,
        [WorkflowAction.Approve] = Roles.Reviewer,
        [WorkflowAction.RequestChanges] = Roles.Reviewer,
    };

    public static bool IsAllowed(VersionStatus from, WorkflowAction action) => Transitions.ContainsKey((from, action));

    public static string RoleFor(WorkflowAction action) => RequiredRole[action];

    /// <summary>The status the action leads to, or a refusal that says why not.</summary>
    public static VersionStatus Next(VersionStatus from, WorkflowAction action, Actor actor)
    {
        actor.Require(RequiredRole[action], Describe(action));
        if (!Transitions.TryGetValue((from, action), out var to))
        {
            throw new RefusedException($"This version is {Label(from)}, so it cannot be {Past(action)}. Only {NeededFor(action)} can be.");
        }

        return to;
    }

    public static string Label(VersionStatus status) => status switch
    {
        VersionStatus.Draft => "a draft",
        VersionStatus.InReview => "in review",
        VersionStatus.ChangesRequested => "sent back with changes requested",
        VersionStatus.Approved => "approved",
        _ => status.ToString(),
    };

    public static string Title(VersionStatus status) => status switch
    {
        VersionStatus.Draft => "Draft",
        VersionStatus.InReview => "In review",
        VersionStatus.ChangesRequested => "Changes requested",
        VersionStatus.Approved => "Approved",
        _ => status.ToString(),
    };

    private static string Describe(WorkflowAction action) => action switch
    {
        WorkflowAction.Submit => "submit a draft for review",
        WorkflowAction.Approve => "approve a version",
        WorkflowAction.RequestChanges => "request changes",
        _ => action.ToString(),
    };

    private static string Past(WorkflowAction action) => action switch
    {
        WorkflowAction.Submit => "submitted for review",
        WorkflowAction.Approve => "approved",
        WorkflowAction.RequestChanges => "sent back with changes requested",
        _ => action.ToString(),
    };

    private static string NeededFor(WorkflowAction action) => action switch
    {
        WorkflowAction.Submit => "a draft",
        _ => "a version in review",
    };
}
