using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Data;

public static class AccountAdministrationQueries
{
    /// <summary>What <paramref name="personId"/> did to any of <paramref name="otherIds"/>' accounts, and what they did to theirs.</summary>
    public static Task<List<AccountAdministration>> AdministrationsBetweenAsync(this PortalDbContext db, string personId, IReadOnlyCollection<string> otherIds) =>
        db.AccountAdministrations.AsNoTracking()
            .Where(a => (a.AdministratorId == personId && otherIds.Contains(a.AccountId)) || (a.AccountId == personId && otherIds.Contains(a.AdministratorId)))
            .ToListAsync();
}
