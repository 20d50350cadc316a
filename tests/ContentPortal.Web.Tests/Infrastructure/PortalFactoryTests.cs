using System.Net;
using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Infrastructure;

/// <summary>The test host itself: its own temp SQLite file, seeded as Development promises.</summary>
public sealed class PortalFactoryTests : IDisposable
{
    private readonly PortalFactory _factory = new();

    [Fact]
    public async Task Each_factory_runs_on_its_own_temp_sqlite_file_with_the_seed_published()
    {
        using var client = _factory.NewClient();
        var health = await client.Http.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.True(File.Exists(_factory.DatabasePath), $"Expected the database at {_factory.DatabasePath}");
        Assert.StartsWith(Path.GetTempPath(), _factory.DatabasePath, StringComparison.Ordinal);
        var dataSource = await _factory.WithDbAsync(db => Task.FromResult(db.Database.GetDbConnection().DataSource));
        Assert.Equal(_factory.DatabasePath, dataSource);

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
            Assert.NotEqual(_factory.DatabasePath, other.DatabasePath);
            Assert.True(File.Exists(other.DatabasePath));
        }
        finally
        {
            await other.DisposeAsync();
        }

        Assert.False(File.Exists(other.DatabasePath), "A disposed factory deletes its database file.");
        Assert.True(File.Exists(_factory.DatabasePath));
    }

    public void Dispose() => _factory.Dispose();
}
