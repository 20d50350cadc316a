using ContentPortal.Domain;

namespace ContentPortal.Domain.Tests;

/// <summary>Who may sign whose work (SeparationOfDuties), and what waits for a second administrator (DualControl).</summary>
public sealed class SigningAndDualControlTests
{
    private static readonly DateTime At = new(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc);

    // signer "sig" signs a version written by "auth"; "adm" and "other" are administrators.
    [Theory]
    [InlineData("", "", null, false, null)]
    [InlineData("adm", "other", AdministrationAction.Created, false, null)]
    [InlineData("sig", "sig", AdministrationAction.ChangedRoles, false, null)]
    [InlineData("adm", "sig", AdministrationAction.Created, false, null)]
    [InlineData("sig", "auth", AdministrationAction.Created, false, "You created the account of Auth")]
    [InlineData("sig", "auth", AdministrationAction.ChangedRoles, false, "You changed the roles of Auth")]
    [InlineData("sig", "auth", AdministrationAction.ResetPassword, false, "You reset the password of Auth")]
    [InlineData("sig", "auth", AdministrationAction.ApprovedChange, false, "You approved a change to the account of Auth")]
    [InlineData("auth", "sig", AdministrationAction.Created, false, "Auth created your account")]
    [InlineData("auth", "sig", AdministrationAction.ChangedRoles, false, "Auth changed your roles")]
    [InlineData("auth", "sig", AdministrationAction.ResetPassword, false, "Auth reset your password")]
    [InlineData("auth", "sig", AdministrationAction.ApprovedChange, false, "Auth approved a change to your account")]
    [InlineData("", "", null, true, "An administrator set your password")]
    public void A_signer_and_an_author_who_administered_each_other_cannot_sign(string administrator, string account, AdministrationAction? action, bool passwordSetByAdministrator, string? refusal)
    {
        var done = action is { } a ? new[] { new AccountAdministration(administrator, Name(administrator), account, Name(account), a, At) } : [];

        AssertRefusal(refusal, () => SeparationOfDuties.RefuseSigning("sig", ["auth", "co-author"], done, passwordSetByAdministrator));
    }

    [Fact]
    public void Any_author_counts_not_only_the_first()
    {
        var done = new[] { new AccountAdministration("co-author", "Co Author", "sig", "Sig", AdministrationAction.ResetPassword, At) };

        Assert.Throws<RefusedException>(() => SeparationOfDuties.RefuseSigning("sig", ["auth", "co-author"], done, false));
    }

    [Theory]
    [InlineData("", "Editor", "")]
    [InlineData("", "Reviewer", "Reviewer")]
    [InlineData("", "Publisher,Reviewer,Editor", "Publisher,Reviewer")]
    [InlineData("Reviewer", "Reviewer,Publisher", "Publisher")]
    [InlineData("Reviewer,Publisher", "Reviewer,Publisher,Admin", "")]
    [InlineData("Admin", "Admin,Reviewer", "Reviewer")]
    public void Only_new_signing_or_publishing_power_waits_for_a_second_administrator(string held, string wanted, string waits)
    {
        Assert.Equal(Split(waits), DualControl.PowerGranted(Split(held), Split(wanted)));
    }

    [Theory]
    [InlineData("Editor", false)]
    [InlineData("Admin", false)]
    [InlineData("Editor,Reviewer", true)]
    [InlineData("Publisher", true)]
    public void A_password_reset_waits_when_the_account_holds_power(string held, bool waits)
    {
        Assert.Equal(waits, DualControl.ResetNeedsApproval(Split(held)));
    }

    [Theory]
    [InlineData("ada", "ada", "Admin", "you cannot approve it")]
    [InlineData("ada", "bob", "Editor,Reviewer", "Only an admin can approve")]
    [InlineData("ada", "bob", "Admin", null)]
    public void Only_a_second_different_administrator_approves(string requester, string approver, string approverRoles, string? refusal)
    {
        var change = PendingAccountChange.Grant("target", "Target", ["Reviewer"], Actor(requester, "Admin"), At);

        AssertRefusal(refusal, () => change.Approve(Actor(approver, approverRoles)));
    }

    [Fact]
    public void A_grant_asks_only_for_signing_or_publishing_power()
    {
        Assert.Throws<RefusedException>(() => PendingAccountChange.Grant("t", "T", ["Editor"], Actor("ada", "Admin"), At));
        Assert.Throws<RefusedException>(() => PendingAccountChange.Grant("t", "T", ["Reviewer"], Actor("ed", "Editor"), At));
        Assert.Equal("grant Publisher, Reviewer to T", PendingAccountChange.Grant("t", "T", ["Reviewer", "Publisher"], Actor("ada", "Admin"), At).Describe());
    }

    /// <summary>No refusal when <paramref name="refusal"/> is null; otherwise a refusal whose sentence contains it.</summary>
    private static void AssertRefusal(string? refusal, Action act)
    {
        var refused = Record.Exception(act);
        if (refusal is null)
        {
            Assert.Null(refused);
            return;
        }

        Assert.IsType<RefusedException>(refused);
        Assert.Contains(refusal, refused.Message);
    }

    private static Actor Actor(string id, string roles) => new(id, id, new HashSet<string>(Split(roles)));

    private static string Name(string id) => id.Length == 0 ? "" : char.ToUpperInvariant(id[0]) + id[1..];

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
