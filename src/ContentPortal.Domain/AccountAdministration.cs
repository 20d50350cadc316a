namespace ContentPortal.Domain;

/// <summary>What an administrator did to an account. Any of them means they could have acted through it.</summary>
public enum AdministrationAction
{
    Created,
    ChangedRoles,
    ResetPassword,
    ApprovedChange,
}

/// <summary>
/// One administrator's action on one account, kept for good: the signing rule reads these in both directions
/// (<see cref="SeparationOfDuties"/>), so it must remember every action, not only the last.
/// </summary>
public sealed class AccountAdministration
{
    public const int IdLength = 450;
    public const int NameLength = 200;

    public AccountAdministration(string administratorId, string administratorName, string accountId, string accountName, AdministrationAction action, DateTime at)
    {
        AdministratorId = administratorId;
        AdministratorName = administratorName;
        AccountId = accountId;
        AccountName = accountName;
        Action = action;
        At = at;
    }

    public long Id { get; private set; }

    public string AdministratorId { get; private set; }

    public string AdministratorName { get; private set; }

    public string AccountId { get; private set; }

    public string AccountName { get; private set; }

    public AdministrationAction Action { get; private set; }

    public DateTime At { get; private set; }

    /// <summary>What was done, told to someone else: "You {reset the password of Dr Shah}".</summary>
    public static string DoneTo(AdministrationAction action, string account) => action switch
    {
        AdministrationAction.Created => $"created the account of {account}",
        AdministrationAction.ChangedRoles => $"changed the roles of {account}",
        AdministrationAction.ResetPassword => $"reset the password of {account}",
        _ => $"approved a change to the account of {account}",
    };

    /// <summary>What was done, told to the account holder: "Ada Admin {reset your password}".</summary>
    public static string DoneToYou(AdministrationAction action) => action switch
    {
        AdministrationAction.Created => "created your account",
        AdministrationAction.ChangedRoles => "changed your roles",
        AdministrationAction.ResetPassword => "reset your password",
        _ => "approved a change to your account",
    };
}

/// <summary>
/// Signing and publishing power is under dual control (21 CFR Part 11 §11.10(d)): giving it to anyone, and
/// resetting the password of someone who holds it, takes effect only when a second administrator approves.
/// </summary>
public static class DualControl
{
    /// <summary>The roles whose holder can get content signed or published.</summary>
    public static IReadOnlyList<string> PowerRoles { get; } = [Roles.Reviewer, Roles.Publisher];

    /// <summary>The roles in <paramref name="wanted"/> that would give power the account does not hold yet.</summary>
    public static IReadOnlyList<string> PowerGranted(IEnumerable<string> held, IEnumerable<string> wanted) =>
        [.. wanted.Distinct().Where(r => PowerRoles.Contains(r) && !held.Contains(r)).Order()];

    /// <summary>A password reset waits for a second administrator when the account holds signing or publishing power.</summary>
    public static bool ResetNeedsApproval(IEnumerable<string> held) => held.Any(PowerRoles.Contains);
}

public enum AccountChangeKind
{
    GrantRoles,
    ResetPassword,
}

/// <summary>
/// A change to an account that waits for a second, different administrator. Nothing of it is in force until
/// <see cref="Approve"/>: the roles are not granted, the password is not reset.
/// </summary>
public sealed class PendingAccountChange
{
    public const int RolesLength = 200;

    private PendingAccountChange(Guid id, string accountId, string accountName, AccountChangeKind kind, string roles, Actor by, DateTime at)
    {
        Id = id;
        AccountId = accountId;
        AccountName = accountName;
        Kind = kind;
        Roles = roles;
        RequestedById = by.UserId;
        RequestedByName = by.DisplayName;
        RequestedAt = at;
    }

    // For EF.
    private PendingAccountChange()
    {
        AccountId = AccountName = Roles = RequestedById = RequestedByName = "";
    }

    public Guid Id { get; private set; }

    public string AccountId { get; private set; }

    public string AccountName { get; private set; }

    public AccountChangeKind Kind { get; private set; }

    /// <summary>Comma-separated roles to grant (GrantRoles); empty for a password reset.</summary>
    public string Roles { get; private set; }

    public string RequestedById { get; private set; }

    public string RequestedByName { get; private set; }

    public DateTime RequestedAt { get; private set; }

    public IReadOnlyList<string> RoleList => Roles.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>What is asked, in a sentence: "grant Reviewer, Publisher to Dr Shah".</summary>
    public string Describe() => Kind == AccountChangeKind.GrantRoles
        ? $"grant {string.Join(", ", RoleList)} to {AccountName}"
        : $"reset the password of {AccountName}";

    public static PendingAccountChange Grant(string accountId, string accountName, IReadOnlyList<string> powerRoles, Actor by, DateTime at)
    {
        by.Require(Domain.Roles.Admin, "ask for a role to be granted");
        if (powerRoles.Count == 0 || powerRoles.Any(r => !DualControl.PowerRoles.Contains(r)))
        {
            throw new RefusedException("Only the Reviewer and Publisher roles wait for a second administrator.");
        }

        return new(Guid.NewGuid(), accountId, accountName, AccountChangeKind.GrantRoles, string.Join(",", powerRoles.Distinct().Order()), by, at);
    }

    public static PendingAccountChange ResetPassword(string accountId, string accountName, Actor by, DateTime at)
    {
        by.Require(Domain.Roles.Admin, "ask for a password reset");
        return new(Guid.NewGuid(), accountId, accountName, AccountChangeKind.ResetPassword, "", by, at);
    }

    /// <summary>Refuses unless <paramref name="approver"/> is an administrator other than the one who asked.</summary>
    public void Approve(Actor approver)
    {
        approver.Require(Domain.Roles.Admin, "approve a change to an account");
        if (approver.UserId == RequestedById)
        {
            throw new RefusedException($"You asked to {Describe()}, so you cannot approve it: a second administrator must.");
        }
    }

    /// <summary>Either administrator may withdraw a request; nothing of it took effect.</summary>
    public void Cancel(Actor by) => by.Require(Domain.Roles.Admin, "cancel a change to an account");
}
