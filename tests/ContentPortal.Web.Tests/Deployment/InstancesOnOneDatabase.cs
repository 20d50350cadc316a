using ContentPortal.Web.Tests.Infrastructure;

namespace ContentPortal.Web.Tests.Deployment;

/// <summary>
/// Several portal instances (app hosts) on one PostgreSQL database made for each test, as behind a load
/// balancer: <see cref="Instance"/> adds one; all are disposed, and the database deleted, after the test.
/// </summary>
public abstract class InstancesOnOneDatabase : IAsyncLifetime
{
    private readonly List<PortalFactory> instances = [];

    protected PostgresTestDatabase Database { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Database = PostgresTestDatabase.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in instances)
        {
            await instance.DisposeAsync();
        }

        Database?.Delete();
    }

    /// <summary>A new instance on the test's database (not started until first used).</summary>
    protected PortalFactory Instance(PortalOptions? options = null)
    {
        var instance = new PortalFactory((options ?? new PortalOptions()) with { Database = Database });
        instances.Add(instance);
        return instance;
    }
}
