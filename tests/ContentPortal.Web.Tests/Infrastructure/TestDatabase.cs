using Microsoft.Data.Sqlite;

namespace ContentPortal.Web.Tests.Infrastructure;

/// <summary>
/// The database one app under test runs on: how the app finds it (configuration) and how to get rid of it.
/// The provider is chosen in <see cref="CreateTemporary"/> and nowhere else, so a second provider
/// (PostgreSQL) is one more subclass and a choice there.
/// </summary>
public abstract class TestDatabase
{
    /// <summary>A new, empty database for one factory. Today: a SQLite file in the temp folder.</summary>
    public static TestDatabase CreateTemporary() => SqliteTestDatabase.InTempFolder();

    /// <summary>The EF Core provider, as a name ("Sqlite").</summary>
    public abstract string Provider { get; }

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
