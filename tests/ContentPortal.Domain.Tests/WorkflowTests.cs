namespace ContentPortal.Domain.Tests;

public class WorkflowTests
{
    /// <summary>The whole table: every status × every action, with the expected target (null = refused).</summary>
    public static TheoryData<VersionStatus, WorkflowAction, VersionStatus?> WholeTable => new()
    {
        { VersionStatus.Draft, WorkflowAction.Submit, VersionStatus.InReview },
        { VersionStatus.Draft, WorkflowAction.Approve, null },
        { VersionStatus.Draft, WorkflowAction.RequestChanges, null },
        { VersionStatus.InReview, WorkflowAction.Submit, null },
        { VersionStatus.InReview, WorkflowAction.Approve, VersionStatus.Approved },
        { VersionStatus.InReview, WorkflowAction.RequestChanges, VersionStatus.ChangesRequested },
        { VersionStatus.ChangesRequested, WorkflowAction.Submit, null },
        { VersionStatus.ChangesRequested, WorkflowAction.Approve, null },
        { VersionStatus.ChangesRequested, WorkflowAction.RequestChanges, null },
        { VersionStatus.Approved, WorkflowAction.Submit, null },
        { VersionStatus.Approved, WorkflowAction.Approve, null },
        { VersionStatus.Approved, WorkflowAction.RequestChanges, null },
    };

    [Fact]
    public void WholeTable_covers_every_status_and_action_exactly_once()
    {
        var rows = WholeTable.Select(row => ((VersionStatus)row[0], (WorkflowAction)row[1])).ToList();
        var expected = Enum.GetValues<VersionStatus>().SelectMany(s => Enum.GetValues<WorkflowAction>().Select(a => (s, a))).ToList();

        Assert.Equal(expected.Count, rows.Count);
        Assert.Equal(expected.ToHashSet(), rows.ToHashSet());
    }

    [Theory]
    [MemberData(nameof(WholeTable))]
    public void Next_follows_the_transition_table(VersionStatus from, WorkflowAction action, VersionStatus? expected)
    {
        var actor = People.With("u-1", "Right Role", Workflow.RoleFor(action));

        if (expected is { } to)
        {
            Assert.True(Workflow.IsAllowed(from, action));
            Assert.Equal(to, Workflow.Next(from, action, actor));
        }
        else
        {
            Assert.False(Workflow.IsAllowed(from, action));
            var refused = Assert.Throws<RefusedException>(() => Workflow.Next(from, action, actor));
            Assert.Contains(Workflow.Label(from), refused.Message);
            Assert.Contains("cannot be", refused.Message);
        }
    }

    [Theory]
    [InlineData(WorkflowAction.Submit, Roles.Editor)]
    [InlineData(WorkflowAction.Approve, Roles.Reviewer)]
    [InlineData(WorkflowAction.RequestChanges, Roles.Reviewer)]
    public void Each_action_names_its_role(WorkflowAction action, string role)
    {
        Assert.Equal(role, Workflow.RoleFor(action));
    }

    [Theory]
    [InlineData(WorkflowAction.Submit, "Editor", true)]
    [InlineData(WorkflowAction.Submit, "Reviewer", false)]
    [InlineData(WorkflowAction.Submit, "Publisher", false)]
    [InlineData(WorkflowAction.Submit, "AdminAllRoles", true)]
    [InlineData(WorkflowAction.Submit, "AdminRoleOnly", false)]
    [InlineData(WorkflowAction.Submit, "NoRole", false)]
    [InlineData(WorkflowAction.Approve, "Editor", false)]
    [InlineData(WorkflowAction.Approve, "Reviewer", true)]
    [InlineData(WorkflowAction.Approve, "Publisher", false)]
    [InlineData(WorkflowAction.Approve, "AdminAllRoles", true)]
    [InlineData(WorkflowAction.Approve, "AdminRoleOnly", false)]
    [InlineData(WorkflowAction.Approve, "NoRole", false)]
    [InlineData(WorkflowAction.RequestChanges, "Editor", false)]
    [InlineData(WorkflowAction.RequestChanges, "Reviewer", true)]
    [InlineData(WorkflowAction.RequestChanges, "Publisher", false)]
    [InlineData(WorkflowAction.RequestChanges, "AdminAllRoles", true)]
    [InlineData(WorkflowAction.RequestChanges, "AdminRoleOnly", false)]
    [InlineData(WorkflowAction.RequestChanges, "NoRole", false)]
    public void Next_requires_the_actions_role(WorkflowAction action, string roleLabel, bool allowed)
    {
        var from = action == WorkflowAction.Submit ? VersionStatus.Draft : VersionStatus.InReview;
        var actor = People.ForRole(roleLabel);

        if (allowed)
        {
            Assert.True(Workflow.IsAllowed(from, action));
            _ = Workflow.Next(from, action, actor);
        }
        else
        {
            var refused = Assert.Throws<RefusedException>(() => Workflow.Next(from, action, actor));
            Assert.Contains($"{Workflow.RoleFor(action).ToLowerInvariant()} can ", refused.Message);
        }
    }

    [Fact]
    public void Role_is_checked_before_the_state()
    {
        // A wrong-role actor on a wrong-state version hears about the role, not the state.
        var refused = Assert.Throws<RefusedException>(() => Workflow.Next(VersionStatus.Approved, WorkflowAction.Approve, People.Editor()));

        Assert.Equal("Only a reviewer can approve a version.", refused.Message);
    }

    [Fact]
    public void Refusal_for_a_wrong_state_says_which_state_is_needed()
    {
        var refused = Assert.Throws<RefusedException>(() => Workflow.Next(VersionStatus.Approved, WorkflowAction.Submit, People.Editor()));

        Assert.Equal("This version is approved, so it cannot be submitted for review. Only a draft can be.", refused.Message);
    }

    [Theory]
    [InlineData(VersionStatus.Draft, "Draft", "a draft")]
    [InlineData(VersionStatus.InReview, "In review", "in review")]
    [InlineData(VersionStatus.ChangesRequested, "Changes requested", "sent back with changes requested")]
    [InlineData(VersionStatus.Approved, "Approved", "approved")]
    public void Every_status_has_a_title_and_a_label(VersionStatus status, string title, string label)
    {
        Assert.Equal(title, Workflow.Title(status));
        Assert.Equal(label, Workflow.Label(status));
    }

    [Theory]
    [InlineData("Editor", new[] { Roles.Editor })]
    [InlineData("AdminAllRoles", new[] { Roles.Editor, Roles.Reviewer, Roles.Publisher, Roles.Admin })]
    [InlineData("NoRole", new string[0])]
    public void Actor_holds_exactly_its_roles(string roleLabel, string[] held)
    {
        var actor = People.ForRole(roleLabel);

        foreach (var role in Roles.All)
        {
            Assert.Equal(held.Contains(role), actor.Holds(role));
        }
    }

    [Fact]
    public void Seed_importer_holds_every_role_and_is_named()
    {
        Assert.All(Roles.All, role => Assert.True(Actor.SeedImport.Holds(role)));
        Assert.Equal("system:seed-import", Actor.SeedImport.UserId);
    }
}
