using ContentPortal.Domain;
using ContentPortal.Web.Data;
using Microsoft.AspNetCore.Identity;

namespace ContentPortal.Web.Seeding;

/// <summary>
/// <c>create-admin --email a@b.org --name "Ada Admin"</c>: creates the first administrator outside
/// Development, where no demo account exists. The password comes from CONTENTPORTAL_ADMIN_PASSWORD
/// or standard input, never from the command line (it would land in shell history).
/// </summary>
public static class CreateAdminCommand
{
    public const string Name = "create-admin";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        var email = Option(args, "--email");
        var name = Option(args, "--name");
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrWhiteSpace(name))
        {
            Console.Error.WriteLine("Usage: create-admin --email <email> --name \"<display name>\"  (password from CONTENTPORTAL_ADMIN_PASSWORD or standard input)");
            return 2;
        }

        var password = Environment.GetEnvironmentVariable("CONTENTPORTAL_ADMIN_PASSWORD");
        if (string.IsNullOrEmpty(password))
        {
            Console.Error.Write("Password for the new admin: ");
            password = Console.ReadLine();
        }

        if (string.IsNullOrEmpty(password))
        {
            Console.Error.WriteLine("No password given.");
            return 2;
        }

        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        if (await users.FindByEmailAsync(email) is not null)
        {
            Console.Error.WriteLine($"A user with the email {email} already exists.");
            return 1;
        }

        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name.Trim() };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            Console.Error.WriteLine(string.Join(Environment.NewLine, created.Errors.Select(e => e.Description)));
            return 1;
        }

        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        db.Record(new AuditRecord(DateTime.UtcNow, "system:create-admin", "create-admin command", AuditActions.UserCreated, $"user:{user.Id}",
            $"Created admin {user.DisplayName} <{email}> with roles {Roles.Admin}"));
        // Admin only: content roles are granted separately (by another admin, or this one on the Users page),
        // so the first account cannot quietly write, sign and publish alone.
        DemoUsers.Check(await users.AddToRolesAsync(user, [Roles.Admin]), email);
        Console.WriteLine($"Created admin {email} with the role {Roles.Admin}. Grant content roles (Editor, Reviewer, Publisher) on the Users page.");
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
