using ContentPortal.Domain;
using ContentPortal.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Admin.Users;

/// <summary>
/// Role changes and password resets, done one way for Create, Edit and the approvals list: signing and
/// publishing power waits for a second administrator (<see cref="DualControl"/>), every action on an account
/// is remembered for the signing rule (<see cref="AccountAdministration"/>), and everything is audited.
/// </summary>
public sealed class AccountChanges(UserManager<PortalUser> users, PortalDbContext db, TimeProvider clock, Account.LoginThrottle throttle)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Gives <paramref name="person"/> exactly <paramref name="wanted"/>, except new Reviewer or Publisher, which waits for approval.</summary>
    public async Task<string> SetRolesAsync(Actor by, PortalUser person, IReadOnlyCollection<string> wanted)
    {
        var before = await users.GetRolesAsync(person);
        var waiting = DualControl.PowerGranted(before, wanted);
        var now = wanted.Where(r => !waiting.Contains(r)).Distinct().ToList();
        var removed = before.Except(now).ToList();
        var added = now.Except(before).ToList();
        // Saving roles administers the account even when nothing changed now (the signing rule counts it).
        if (removed.Count > 0 || added.Count > 0 || waiting.Count == 0)
        {
            Check(await users.RemoveFromRolesAsync(person, removed));
            Check(await users.AddToRolesAsync(person, added));
            Administered(by, person, AdministrationAction.ChangedRoles);
            Audit(by, AuditActions.UserRolesChanged, person, $"Roles {Join(before)} → {Join(now)}");
            person.RolesChangedById = by.UserId;
            person.RolesChangedByName = by.DisplayName;
            await users.UpdateSecurityStampAsync(person); // saves, and ends their open sessions
        }

        if (waiting.Count == 0)
        {
            return $"Saved the roles of {person.DisplayName}. Their open sessions end now; they log in again to use the new roles.";
        }

        var change = PendingAccountChange.Grant(person.Id, person.DisplayName, waiting, by, Now);
        await RequestAsync(by, change, person);
        return $"Granting {Join(waiting)} to {person.DisplayName} waits for a second administrator to approve it on the Users page; until then they cannot sign or publish.";
    }

    /// <summary>Resets the password now, or (for an account that can sign or publish) asks a second administrator to.</summary>
    public async Task<(string Message, string? Password)> ResetPasswordAsync(Actor by, PortalUser person)
    {
        if (DualControl.ResetNeedsApproval(await users.GetRolesAsync(person)))
        {
            await RequestAsync(by, PendingAccountChange.ResetPassword(person.Id, person.DisplayName, by, Now), person);
            return ($"Resetting the password of {person.DisplayName} waits for a second administrator: they can sign or publish. The administrator who approves gets the one-time password.", null);
        }

        return ($"Reset the password of {person.DisplayName}.", await ResetNowAsync(by, person));
    }

    public async Task<(string Message, string? Password, string? For)> ApproveAsync(Actor approver, Guid changeId)
    {
        var change = await db.PendingAccountChanges.SingleOrDefaultAsync(c => c.Id == changeId)
            ?? throw new RefusedException("That change is no longer waiting: another administrator approved or cancelled it. The list below is up to date.");
        change.Approve(approver);
        var person = await users.FindByIdAsync(change.AccountId)
            ?? throw new RefusedException("That account no longer exists.");
        var requester = new Actor(change.RequestedById, change.RequestedByName, new HashSet<string> { Roles.Admin });
        db.PendingAccountChanges.Remove(change);
        Audit(approver, AuditActions.UserChangeApproved, person, $"Approved the request of {change.RequestedByName} to {change.Describe()}");
        Administered(approver, person, AdministrationAction.ApprovedChange);
        if (change.Kind == AccountChangeKind.ResetPassword)
        {
            var password = await ResetNowAsync(requester, person);
            return ($"Approved: the password of {person.DisplayName} is reset.", password, person.Email);
        }

        var roles = change.RoleList.Except(await users.GetRolesAsync(person)).ToList();
        Check(await users.AddToRolesAsync(person, roles));
        Administered(requester, person, AdministrationAction.ChangedRoles);
        person.RolesChangedById = requester.UserId;
        person.RolesChangedByName = requester.DisplayName;
        await users.UpdateSecurityStampAsync(person); // saves everything above; their sessions pick up the roles at next login
        return ($"Approved: {person.DisplayName} now holds {Join(change.RoleList)}. They log in again to use it.", null, null);
    }

    public async Task<string> CancelAsync(Actor by, Guid changeId)
    {
        var change = await db.PendingAccountChanges.SingleOrDefaultAsync(c => c.Id == changeId)
            ?? throw new RefusedException("That change is no longer waiting: another administrator approved or cancelled it. The list below is up to date.");
        change.Cancel(by);
        db.PendingAccountChanges.Remove(change);
        db.Record(AuditRecord.By(by, Now, AuditActions.UserChangeCancelled, $"user:{change.AccountId}", $"{change.AccountName}: cancelled the request of {change.RequestedByName} to {change.Describe()}"));
        await db.SaveChangesAsync();
        return $"Cancelled: {change.Describe()}. Nothing of it took effect.";
    }

    /// <summary>Records that <paramref name="by"/> administered <paramref name="person"/> (saved with the next SaveChanges).</summary>
    public void Administered(Actor by, PortalUser person, AdministrationAction action) =>
        db.AccountAdministrations.Add(new AccountAdministration(by.UserId, by.DisplayName, person.Id, person.DisplayName, action, Now));

    public void Audit(Actor by, string action, PortalUser person, string details) =>
        db.Record(AuditRecord.By(by, Now, action, $"user:{person.Id}", $"{person.DisplayName}: {details}"));

    private async Task RequestAsync(Actor by, PendingAccountChange change, PortalUser person)
    {
        if (await db.PendingAccountChanges.AnyAsync(c => c.AccountId == person.Id && c.Kind == change.Kind && c.Roles == change.Roles))
        {
            throw new RefusedException($"A request to {change.Describe()} is already waiting for a second administrator.");
        }

        db.PendingAccountChanges.Add(change);
        Audit(by, AuditActions.UserChangeRequested, person, $"Asked to {change.Describe()}; waits for a second administrator");
        await db.SaveChangesAsync();
    }

    private async Task<string> ResetNowAsync(Actor by, PortalUser person)
    {
        var password = OneTimePassword.New();
        Check(await users.RemovePasswordAsync(person));
        Check(await users.AddPasswordAsync(person, password));
        person.MustChangePassword = true;
        // An admin reset also clears a lockout: the holder logs in with the new password at once.
        person.LockoutEnd = null;
        person.AccessFailedCount = 0;
        throttle.Forget(person.Email ?? "");
        Administered(by, person, AdministrationAction.ResetPassword);
        Audit(by, AuditActions.UserPasswordReset, person, "Password reset to a one-time password; lockout cleared; must change at next login; sessions ended");
        await users.UpdateSecurityStampAsync(person);
        return password;
    }

    private static string Join(IEnumerable<string> roles) => roles.Any() ? string.Join(", ", roles.Order()) : "(none)";

    public static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new RefusedException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
