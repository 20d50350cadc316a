using ContentPortal.Domain;
using ContentPortal.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ContentPortal.Web.Tests.Infrastructure;

/// <summary>
/// The real app in Development (demo users, seed imported and published as snapshot 1) on its own
/// temp SQLite file, deleted (with -wal and -shm) when the factory is disposed.
/// </summary>
public class PortalFactory : WebApplicationFactory<Program>
{
    public const string Password = "Portal-demo-2026!";

    public const string Editor = "editor@contentportal.test";
    public const string Editor2 = "editor2@contentportal.test";
    public const string Reviewer = "reviewer@contentportal.test";
    public const string Reviewer2 = "reviewer2@contentportal.test";
    public const string Publisher = "publisher@contentportal.test";
    public const string Admin = "admin@contentportal.test";

    private readonly string _environment;

    public PortalFactory()
        : this("Development")
    {
    }

    protected PortalFactory(string environment)
    {
        _environment = environment;
        DatabasePath = Path.Combine(Path.GetTempPath(), $"contentportal-tests-{Guid.NewGuid():N}.db");
    }

    public string DatabasePath { get; }

    public string ConnectionString => $"Data Source={DatabasePath}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        // Program reads the connection string before Build: UseSetting reaches configuration that early.
        builder.UseSetting("ConnectionStrings:Default", ConnectionString);
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    /// <summary>A client that keeps cookies and does not follow redirects.</summary>
    public PortalClient NewClient() =>
        new(CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));

    public async Task<PortalClient> LoginAsync(string email)
    {
        var client = NewClient();
        await client.LoginAsync(email);
        return client;
    }

    public async Task<T> WithDbAsync<T>(Func<PortalDbContext, Task<T>> query)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await query(db);
    }

    public Task<Document> DocumentAsync(string slug) =>
        WithDbAsync(db => db.Documents.AsNoTracking().SingleAsync(d => d.Slug == slug));

    public Task<Document> DocumentAsync(Guid id) =>
        WithDbAsync(db => db.Documents.AsNoTracking().SingleAsync(d => d.Id == id));

    public Task<List<int>> SnapshotIdsAsync() =>
        WithDbAsync(db => db.Snapshots.AsNoTracking().OrderBy(s => s.Id).Select(s => s.Id).ToListAsync());

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            DeleteDatabase();
        }
    }

    private void DeleteDatabase()
    {
        // Pooled connections keep the file open; drop only this database's pool.
        using (var connection = new SqliteConnection(ConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        foreach (var path in new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm" })
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // Best effort: a temp file left behind must not fail a test run.
            }
        }
    }
}

/// <summary>Not Development: no demo users, no seed, so nothing is published.</summary>
public sealed class EmptyPortalFactory() : PortalFactory("Testing");
