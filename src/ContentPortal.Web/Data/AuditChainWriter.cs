using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ContentPortal.Web.Data;

/// <summary>
/// Save-time job 4 of <see cref="PortalDbContext"/>: the audit records of a save (raised by aggregates, or
/// queued with <see cref="Queue"/> for things outside the domain) are chained onto the trail and stored in
/// the same transaction as the change; a save whose sequence collided with another writer's chains afresh
/// and tries again. One per context.
/// </summary>
public sealed class AuditChainWriter
{
    /// <summary>How often a save whose audit sequence collided with another writer's chains afresh and tries again.</summary>
    public const int Attempts = 8;

    // Audit lines of things that are not domain aggregates (logins, Identity accounts).
    private readonly List<AuditRecord> _queued = [];

    /// <summary>Records waiting for the next save (cleared once it succeeds).</summary>
    public IReadOnlyList<AuditRecord> Queued => _queued;

    public void Queue(AuditRecord record) => _queued.Add(record);

    /// <summary>
    /// Saves through <paramref name="save"/> (the context's own save) with this save's audit records chained
    /// onto the trail; without records it only saves.
    /// </summary>
    public async Task<int> SaveAsync(PortalDbContext db, Func<CancellationToken, Task<int>> save, CancellationToken cancellationToken = default)
    {
        var aggregates = db.ChangeTracker.Entries<Aggregate>().Select(e => e.Entity).Where(a => a.AuditEvents.Count > 0).ToList();
        var records = aggregates.SelectMany(a => a.AuditEvents).Concat(_queued).OrderBy(r => r.Order).ToList();
        if (records.Count == 0)
        {
            return await save(cancellationToken);
        }

        // No process-wide gate (it was held while waiting for SQLite's write lock, which a publish held
        // while waiting for the gate). The chain is extended inside the write transaction instead: on
        // SQLite that transaction holds the database's one write lock (BEGIN IMMEDIATE), so the last entry
        // read in it stays the last; elsewhere (PostgreSQL, several processes) two writers can read the same
        // last entry, and the loser's insert fails on the unique Sequence, so it chains afresh and retries.
        var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await using var _ = ownTransaction;
        for (var attempt = 1; ; attempt++)
        {
            IReadOnlyList<AuditEntry> chained = [];
            try
            {
                await LockAsync(db.Database, cancellationToken);
                var last = await db.AuditTrail.AsNoTracking().OrderByDescending(e => e.Sequence).FirstOrDefaultAsync(cancellationToken);
                chained = AuditChain.Append(last, records);
                db.AuditTrail.AddRange(chained);
                // Inside a transaction EF sets a savepoint first and rolls back to it on failure, so a retry starts clean.
                var saved = await save(cancellationToken);
                if (ownTransaction is not null)
                {
                    await ownTransaction.CommitAsync(cancellationToken);
                }

                _queued.Clear();
                aggregates.ForEach(a => a.ClearAuditEvents());
                return saved;
            }
            catch (Exception exception) when (exception is DbUpdateException or InvalidOperationException)
            {
                // Nothing was stored: un-track the chained entries so a retry (ours or the caller's) chains afresh.
                foreach (var entry in chained)
                {
                    db.Entry(entry).State = EntityState.Detached;
                }

                if (attempt >= Attempts || !IsSequenceCollision(exception))
                {
                    throw;
                }

                await Task.Delay(Random.Shared.Next(5, 20 * attempt), cancellationToken);
            }
        }
    }

    /// <summary>Another writer took the same audit sequence number first (SQLite, PostgreSQL wording).</summary>
    public static bool IsSequenceCollision(Exception exception)
    {
        var message = exception.InnerException?.Message ?? exception.Message;
        return message.Contains("AuditTrail", StringComparison.OrdinalIgnoreCase)
            && (message.Contains("UNIQUE", StringComparison.OrdinalIgnoreCase) || message.Contains("duplicate key", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Taken inside the write transaction before the last audit entry is read. SQLite needs nothing (the
    /// transaction already holds the write lock); on PostgreSQL several instances write, so appends take
    /// an advisory transaction lock and queue instead of colliding (the sequence retry stays as a backstop).
    /// </summary>
    private static Task LockAsync(DatabaseFacade database, CancellationToken cancellationToken) =>
        database.IsNpgsql()
            ? Infrastructure.ClusterLocks.InTransactionAsync(database, Infrastructure.ClusterLocks.Audit, cancellationToken)
            : Task.CompletedTask;
}
