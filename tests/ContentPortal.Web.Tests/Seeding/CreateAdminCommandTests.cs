using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Seeding;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ContentPortal.Web.Tests.Seeding;

/// <summary><c>create-admin</c>: the first administrator outside Development.</summary>
public sealed class CreateAdminCommandTests
{
    [Fact]
    public async Task The_first_admin_gets_the_admin_role_only()
    {
        await using var app = new PortalFactory(new PortalOptions { Environment = "Testing" });
        _ = app.Server;
        Environment.SetEnvironmentVariable("CONTENTPORTAL_ADMIN_PASSWORD", "First-admin-password-2026");
        try
        {
            Assert.Equal(0, await CreateAdminCommand.RunAsync(app.Services, ["create-admin", "--email", "first@contentportal.test", "--name", "First Admin"]));
        }
        finally
        {
            Environment.SetEnvironmentVariable("CONTENTPORTAL_ADMIN_PASSWORD", null);
        }

        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var admin = await users.FindByEmailAsync("first@contentportal.test");
        Assert.Equal([Roles.Admin], await users.GetRolesAsync(admin!));
    }
}
