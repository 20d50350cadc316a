using System.Net.Sockets;
using ContentPortal.Web.Data;
using ContentPortal.Web.Data.Postgres;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ContentPortal.Web.Infrastructure;

/// <summary>Which database the portal runs on (<c>Database:Provider</c>).</summary>
public enum DatabaseProvider
{
    /// <summary>One file, one instance: the embedded default.</summary>
    Sqlite,

    /// <summary>A database server that several portal instances share.</summary>
    PostgreSQL,
}

/// <summary>The database configuration is unusable; the message says which key and why.</summary>
public sealed class DatabaseConfigurationException(string message) : Exception(message);

public static class Database
{
    public const string DefaultSqlite = "Data Source=App_Data/contentportal.db";

    // One number for "the portal is migrating or seeding" across every instance on a PostgreSQL database.
    private const long StartupLockKey = 0x436F6E74656E74; // "Content"

    public static DatabaseProvider ProviderFrom(IConfiguration configuration)
    {
        var name = configuration["Database:Provider"];
        if (string.IsNullOrWhiteSpace(name) || name.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return DatabaseProvider.Sqlite;
        }

        if (name.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase) || name.Equals("Postgres", StringComparison.OrdinalIgnoreCase))
        {
            return DatabaseProvider.PostgreSQL;
        }

        throw new DatabaseConfigurationException($"Database:Provider is '{name}'; use 'Sqlite' (the default) or 'PostgreSQL'.");
    }

    /// <summary>
    /// Registers <see cref="PortalDbContext"/> on the configured provider. Everything else asks for
    /// <see cref="PortalDbContext"/>; on PostgreSQL it is a <see cref="PostgresPortalDbContext"/>.
    /// </summary>
    public static DatabaseProvider AddPortalDatabase(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var provider = ProviderFrom(configuration);
        var configured = configuration.GetConnectionString("Default");
        switch (provider)
        {
            case DatabaseProvider.PostgreSQL:
                if (string.IsNullOrWhiteSpace(configured) || configured.Contains("Data Source=", StringComparison.OrdinalIgnoreCase))
                {
                    throw new DatabaseConfigurationException(
                        "Database:Provider is PostgreSQL: set ConnectionStrings:Default to a PostgreSQL connection string, e.g. Host=127.0.0.1;Port=5432;Database=contentportal;Username=portal;Password=...");
                }

                string postgres;
                try
                {
                    postgres = new NpgsqlConnectionStringBuilder(configured).ConnectionString;
                }
                catch (ArgumentException exception)
                {
                    throw new DatabaseConfigurationException($"ConnectionStrings:Default is not a valid PostgreSQL connection string: {exception.Message}");
                }

                // Split queries: a document loads versions with flags, authors and transitions; one JOIN would multiply rows.
                services.AddDbContext<PortalDbContext, PostgresPortalDbContext>(options =>
                    options.UseNpgsql(postgres, npgsql => npgsql.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery)));
                break;

            default:
                string sqlite;
                try
                {
                    sqlite = ResolveSqlite(configured ?? DefaultSqlite, contentRoot);
                }
                catch (ArgumentException exception)
                {
                    throw new DatabaseConfigurationException($"ConnectionStrings:Default is not a valid SQLite connection string: {exception.Message}");
                }

                services.AddDbContext<PortalDbContext>(options =>
                    options.UseSqlite(sqlite, s => s.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery)));
                break;
        }

        return provider;
    }

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

    /// <summary>
    /// Applies the committed migrations of the provider, then runs <paramref name="afterwards"/> (roles,
    /// demo users, seed). On PostgreSQL the whole of it holds a session advisory lock, so instances that
    /// start at the same moment take turns: the first migrates and seeds, the others find it done.
    /// SQLite additionally switches to WAL so readers never wait for a writer.
    /// </summary>
    public static async Task MigrateAsync(PortalDbContext db, Func<Task>? afterwards = null, CancellationToken cancellationToken = default)
    {
        if (!db.Database.IsNpgsql())
        {
            await db.Database.MigrateAsync(cancellationToken);
            if (db.Database.IsSqlite())
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }

            await db.RefreshOutdatedListingsAsync(cancellationToken);

            if (afterwards is not null)
            {
                await afterwards();
            }

            return;
        }

        // The lock lives on this one open connection; EF uses the same connection while it is open.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({StartupLockKey})", cancellationToken);
            try
            {
                await db.Database.MigrateAsync(cancellationToken);
                await db.RefreshOutdatedListingsAsync(cancellationToken);
                if (afterwards is not null)
                {
                    await afterwards();
                }
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({StartupLockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// After a bulk load (the seed import, copy-database) on PostgreSQL: ANALYZE, so the planner knows the tables'
    /// sizes at once. Autovacuum gets there a minute or more later; until then every page at 10,000 documents ran
    /// about twice as slowly (the search page 156 → 67 ms after ANALYZE, docs/bench.md). SQLite plans without statistics.
    /// </summary>
    public static async Task AnalyzeAfterBulkLoadAsync(PortalDbContext db, CancellationToken cancellationToken = default)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("ANALYZE", cancellationToken);
        }
    }

    /// <summary>True when <paramref name="exception"/> (or an inner one) means the database could not be reached at all.</summary>
    public static bool IsUnavailable(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case NpgsqlException { IsTransient: true }:
                case NpgsqlException { InnerException: SocketException or TimeoutException }:
                case SocketException:
                case PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" or "3D000" or "28P01" or "28000" }:
                    return true;
                case SqliteException { SqliteErrorCode: 14 }: // SQLITE_CANTOPEN
                    return true;
            }
        }

        return false;
    }
}
