using ContentPortal.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ContentPortal.Web.Infrastructure;

/// <summary>
/// Locks that several portal instances on one PostgreSQL database share (advisory locks: nothing is
/// stored, and a crashed instance's locks end with its connection). On SQLite there is one instance and
/// SQLite's own write lock, so these do nothing there.
/// Order, to never wait in a circle: <see cref="Publish"/> before <see cref="Audit"/>; round locks are
/// only ever tried, never waited for.
/// </summary>
public static class ClusterLocks
{
    /// <summary>Appending to the audit chain: one writer at a time, so the chain stays one unbroken line.</summary>
    public const long Audit = 0x4175646974; // "Audit"

    /// <summary>Publishing: concurrent publishes take turns and get consecutive snapshot ids.</summary>
    public const long Publish = 0x5075626C697368; // "Publish"

    /// <summary>A scheduler round: one instance at a time looks for due schedules.</summary>
    public const long SchedulerRound = 0x5363686564; // "Sched"

    /// <summary>A webhook round: one instance at a time delivers, so a delivery is not sent twice at once.</summary>
    public const long WebhookRound = 0x486F6F6B73; // "Hooks"

    /// <summary>
    /// Waits for <paramref name="key"/> inside the current transaction; released at its commit or rollback.
    /// Must be called inside a transaction (PostgreSQL: <c>pg_advisory_xact_lock</c>).
    /// </summary>
    public static async Task InTransactionAsync(DatabaseFacade database, long key, CancellationToken cancellationToken = default)
    {
        if (!database.IsNpgsql())
        {
            return;
        }

        if (database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A transaction lock needs a transaction.");
        }

        await database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0})", [key], cancellationToken);
    }

    /// <summary>
    /// This instance's turn at a background round, or null when another instance is running one now
    /// (then this instance skips the round: the other does the work). Dispose to end the turn.
    /// </summary>
    public static async Task<IAsyncDisposable?> TryTakeTurnAsync(IServiceScopeFactory scopes, long key, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        if (!db.Database.IsNpgsql())
        {
            return scope;
        }

        try
        {
            // A session lock on a connection this turn keeps open; unlocked explicitly before it goes back to the pool.
            await db.Database.OpenConnectionAsync(cancellationToken);
            var taken = await db.Database.SqlQueryRaw<bool>("SELECT pg_try_advisory_lock({0}) AS \"Value\"", key).SingleAsync(cancellationToken);
            if (taken)
            {
                return new Turn(scope, db, key);
            }
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }

        await scope.DisposeAsync();
        return null;
    }

    private sealed class Turn(AsyncServiceScope scope, PortalDbContext db, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock({0})", [key], CancellationToken.None);
                await db.Database.CloseConnectionAsync();
            }
            finally
            {
                await scope.DisposeAsync();
            }
        }
    }
}
