using ContentPortal.Domain;
using ContentPortal.Web.Data;
using Microsoft.AspNetCore.Identity;

namespace ContentPortal.Web.Seeding;

/// <summary>Development-only accounts, one per role (admin: all), so the whole workflow can be tried at once; a second admin for approvals.</summary>
public static class DemoUsers
{
    public static readonly IReadOnlyList<(string Email, string DisplayName, string[] Roles)> Accounts =
    [
        ("editor@contentportal.test", "Erin Editor", [Roles.Editor]),
        ("editor2@contentportal.test", "Eddie Second-Editor", [Roles.Editor]),
        ("reviewer@contentportal.test", "Dr Rhea Reviewer", [Roles.Reviewer]),
        ("reviewer2@contentportal.test", "Dr Ravi Second-Reviewer", [Roles.Reviewer]),
        ("publisher@contentportal.test", "Pat Publisher", [Roles.Publisher]),
        ("admin@contentportal.test", "Ada Admin", [.. Roles.All]),
        // A second administrator, so dual control (granting Reviewer or Publisher) can be tried.
        ("admin2@contentportal.test", "Alex Second-Admin", [Roles.Admin]),
    ];

    public static async Task EnsureAsync(UserManager<PortalUser> users, PortalDbContext db, string password, DateTime at)
    {
        foreach (var (email, displayName, roles) in Accounts)
        {
            if (await users.FindByEmailAsync(email) is not null)
            {
                continue;
            }

            var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName };
            Check(await users.CreateAsync(user, password), email);
            db.Record(new AuditRecord(at, "system:demo-users", "Development demo accounts", AuditActions.UserCreated, $"user:{user.Id}",
                $"Created demo account {displayName} <{email}> with roles {string.Join(", ", roles)}"));
            Check(await users.AddToRolesAsync(user, roles), email);
        }
    }

    public static async Task EnsureRolesAsync(RoleManager<IdentityRole> roles)
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), role);
            }
        }
    }

    internal static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }
}
