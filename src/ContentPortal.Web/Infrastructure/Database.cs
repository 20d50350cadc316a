using ContentPortal.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Infrastructure;

public static class Database
{
    /// <summary>
    /// The SQLite connection string with a relative file made absolute under the content root (and
    /// its folder created), so the database lands in the same place whatever the working directory.
    /// </summary>
    public static string ResolveSqlite(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is not ("" or ":memory:") && builder.Mode != SqliteOpenMode.Memory && !Path.IsPathRooted(builder.DataSource))
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
        }

        if (builder.Mode != SqliteOpenMode.Memory && Path.GetDirectoryName(builder.DataSource) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        return builder.ToString();
    }

    /// <summary>Applies the committed migrations; SQLite additionally switches to WAL so readers never wait for a writer.</summary>
    public static async Task MigrateAsync(PortalDbContext db)
    {
        await db.Database.MigrateAsync();
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
    }
}
