using Microsoft.Data.Sqlite;
using ContentPortal.Web.Data.Postgres;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ContentPortal.Web.Tests.Infrastructure;

/// <summary>
/// The database one app under test runs on: how the app finds it (configuration) and how to get rid of it.
/// The provider is chosen in <see cref="CreateTemporary"/> and nowhere else: the whole HTTP suite runs on
/// SQLite by default and on PostgreSQL when CONTENTPORTAL_TEST_PROVIDER=PostgreSQL (tests/run does both).
/// </summary>
public abstract class TestDatabase
{
    /// <summary>The provider this test run uses for every factory: "Sqlite" (default) or "PostgreSQL".</summary>
    public static string RunProvider { get; } =
        Environment.GetEnvironmentVariable("CONTENTPORTAL_TEST_PROVIDER") is { Length: > 0 } provider ? provider : "Sqlite";

    /// <summary>A new, empty database for one factory, on <see cref="RunProvider"/>.</summary>
    public static TestDatabase CreateTemporary() =>
        RunProvider.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase)
            ? PostgresTestDatabase.Create()
            : SqliteTestDatabase.InTempFolder();

    /// <summary>The EF Core provider, as a name ("Sqlite" or "PostgreSQL").</summary>
    public abstract string Provider { get; }

    /// <summary>True when the database exists (a disposed factory removes its own).</summary>
    public abstract bool Exists();

    public abstract string ConnectionString { get; }

    /// <summary>The configuration that points the app at this database (read by Program before Build).</summary>
    public virtual IEnumerable<KeyValuePair<string, string>> Settings => [new("ConnectionStrings:Default", ConnectionString)];

    /// <summary>Removes the database; best effort, never throws (a leftover must not fail a run).</summary>
    public abstract void Delete();
}

/// <summary>A SQLite file (with its -wal, -shm and -journal companions).</summary>
public sealed class SqliteTestDatabase(string path) : TestDatabase
{
    public static SqliteTestDatabase InTempFolder() =>
        new(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"contentportal-tests-{Guid.NewGuid():N}.db"));

    public string Path { get; } = path;

    public override string Provider => "Sqlite";

    public override string ConnectionString => $"Data Source={Path}";

    public override bool Exists() => File.Exists(Path);

    public override void Delete()
    {
        // Pooled connections keep the file open; drop only this database's pool.
        using (var connection = new SqliteConnection(ConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            try
            {
                File.Delete(Path + suffix);
            }
            catch (IOException)
            {
                // Best effort: a temp file left behind must not fail a test run.
            }
        }
    }

    public override string ToString() => Path;
}

/// <summary>
/// A database of its own on the PostgreSQL server that tests/run starts (CONTENTPORTAL_TEST_POSTGRES names it):
/// created empty here, dropped (WITH FORCE, closing the app's pooled connections) on <see cref="Delete"/>.
/// </summary>
public sealed class PostgresTestDatabase : TestDatabase
{
    private PostgresTestDatabase(string server, string name)
    {
        Server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    /// <summary>The server's maintenance connection string (Database=postgres), from CONTENTPORTAL_TEST_POSTGRES.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("CONTENTPORTAL_TEST_POSTGRES") is { Length: > 0 } server
            ? server
            : throw new InvalidOperationException(
                "CONTENTPORTAL_TEST_POSTGRES is not set: run the tests with tests/run, which starts a throwaway PostgreSQL server, " +
                "or set it to a server where the role may CREATE DATABASE (or set CONTENTPORTAL_SKIP_POSTGRES=1 to skip PostgreSQL tests).");

    public string Server { get; }

    public string Name { get; }

    public override string Provider => "PostgreSQL";

    public override string ConnectionString { get; }

    public override IEnumerable<KeyValuePair<string, string>> Settings =>
        [new("Database:Provider", "PostgreSQL"), new("ConnectionStrings:Default", ConnectionString)];

    public static PostgresTestDatabase Create()
    {
        var database = new PostgresTestDatabase(ServerConnectionString, $"cp_test_{Guid.NewGuid():N}");
        // A copy of a database migrated once per run: the app's start-up finds no migration pending instead
        // of applying them all again (seconds per test class on the PostgreSQL pass). Seeding still runs per app.
        database.Execute($"CREATE DATABASE \"{database.Name}\" TEMPLATE \"{MigratedTemplate.Value}\"");
        return database;
    }

    /// <summary>
    /// An empty database (the app migrates it) whose text sorts by an ICU collation, such as a server set up
    /// in a locale whose collation ignores punctuation, unlike the test cluster's "C".
    /// </summary>
    public static PostgresTestDatabase CreateWithIcuCollation(string icuLocale)
    {
        var database = new PostgresTestDatabase(ServerConnectionString, $"cp_test_{Guid.NewGuid():N}");
        database.Execute($"CREATE DATABASE \"{database.Name}\" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '{icuLocale}'");
        return database;
    }

    private static readonly Lazy<string> MigratedTemplate = new(CreateMigratedTemplate, LazyThreadSafetyMode.ExecutionAndPublication);

    private static string CreateMigratedTemplate()
    {
        var template = new PostgresTestDatabase(ServerConnectionString, $"cp_template_{Guid.NewGuid():N}");
        template.Execute($"CREATE DATABASE \"{template.Name}\"");
        var options = new DbContextOptionsBuilder<PostgresPortalDbContext>().UseNpgsql(template.ConnectionString).Options;
        using (var db = new PostgresPortalDbContext(options))
        {
            db.Database.Migrate();
        }

        // CREATE DATABASE ... TEMPLATE refuses while anyone is connected to the template.
        using (var connection = new NpgsqlConnection(template.ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        return template.Name;
    }

    public override bool Exists()
    {
        using var connection = new NpgsqlConnection(Server);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", Name);
        return command.ExecuteScalar() is not null;
    }

    public override void Delete()
    {
        try
        {
            using (var connection = new NpgsqlConnection(ConnectionString))
            {
                NpgsqlConnection.ClearPool(connection);
            }

            Execute($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
        }
        catch (NpgsqlException)
        {
            // Best effort: the whole cluster is thrown away at the end of the run anyway.
        }
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(Server);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public override string ToString() => $"PostgreSQL database {Name}";
}
