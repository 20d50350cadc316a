using System.Net;
using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Infrastructure;

/// <summary>The test host itself: its own temporary database (on the run's provider), seeded as Development promises.</summary>
public sealed class PortalFactoryTests : IDisposable
{
    private readonly PortalFactory _factory = new();

    [Fact]
    public async Task Each_factory_runs_on_its_own_temporary_database_with_the_seed_published()
    {
        using var client = _factory.NewClient();
        var health = await client.Http.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.True(_factory.Database.Exists(), $"Expected the database {_factory.Database}");
        Assert.Equal(TestDatabase.RunProvider, _factory.Database.Provider, ignoreCase: true);
        var connection = await _factory.WithDbAsync(db => Task.FromResult(db.Database.GetConnectionString()));
        switch (_factory.Database)
        {
            case SqliteTestDatabase sqlite:
                Assert.StartsWith(Path.GetTempPath(), sqlite.Path, StringComparison.Ordinal);
                Assert.Contains(sqlite.Path, connection);
                break;
            case PostgresTestDatabase postgres:
                Assert.Contains($"Database={postgres.Name}", connection);
                break;
        }

        var documents = await _factory.WithDbAsync(db => db.Documents.AsNoTracking().ToListAsync());
        Assert.Equal(6, documents.Count);
        Assert.Equal(5, documents.Count(d => d.Kind == DocumentKind.Article));
        Assert.All(documents, d => Assert.Equal(VersionStatus.Approved, Assert.Single(d.Versions).Status));
        Assert.Equal([1], await _factory.SnapshotIdsAsync());
    }

    [Fact]
    public async Task Two_factories_do_not_share_a_database()
    {
        var other = new PortalFactory();
        try
        {
            _ = _factory.Services;
            _ = other.Services;
            Assert.NotEqual(_factory.Database.ConnectionString, other.Database.ConnectionString);
            Assert.True(other.Database.Exists());
        }
        finally
        {
            await other.DisposeAsync();
        }

        Assert.False(other.Database.Exists(), "A disposed factory deletes its database.");
        Assert.True(_factory.Database.Exists());
    }

    public void Dispose() => _factory.Dispose();
}
