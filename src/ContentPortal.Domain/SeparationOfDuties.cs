namespace ContentPortal.Domain;

/// <summary>
/// Who may sign a version (21 CFR Part 11 §11.10(d), §11.200(a)(2)): misusing a signature must take two people.
/// An administrator who created, changed the roles of, reset the password of (or approved a change to) an
/// account could act through it, so neither of the two signs the other's work, in either direction. And a
/// password an administrator set is the administrator's as much as the holder's until the holder changes it.
/// </summary>
public static class SeparationOfDuties
{
    /// <summary>
    /// Refuses, with a sentence for the signer, when <paramref name="signerId"/> may not sign a version written
    /// by <paramref name="authorIds"/>. <paramref name="administrations"/> may hold any actions; only those
    /// between the signer and an author count.
    /// </summary>
    public static void RefuseSigning(string signerId, IReadOnlyCollection<string> authorIds, IEnumerable<AccountAdministration> administrations, bool passwordSetByAdministrator)
    {
        if (passwordSetByAdministrator)
        {
            throw new RefusedException("An administrator set your password, so you cannot sign until you have chosen your own. Change your password, then sign.");
        }

        foreach (var done in administrations)
        {
            if (done.AdministratorId == done.AccountId)
            {
                continue; // one's own account: being an author already refuses.
            }

            if (done.AdministratorId == signerId && authorIds.Contains(done.AccountId))
            {
                throw new RefusedException(
                    $"You {AccountAdministration.DoneTo(done.Action, done.AccountName)}, who edited this version, so you cannot sign it: " +
                    "you could have acted through their account. Another reviewer must sign it off.");
            }

            if (done.AccountId == signerId && authorIds.Contains(done.AdministratorId))
            {
                throw new RefusedException(
                    $"{done.AdministratorName} {AccountAdministration.DoneToYou(done.Action)} and also edited this version, so you cannot sign it: " +
                    "they could have acted through your account. Another reviewer must sign it off.");
            }
        }
    }
}
