using ContentPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Infrastructure;

/// <summary>One person's heartbeat on one open draft (a row per document and user).</summary>
public sealed class PresenceBeat
{
    public Guid DocumentId { get; set; }

    public string UserId { get; set; } = "";

    public string Name { get; set; } = "";

    public DateTime Since { get; set; }

    public DateTime LastSeen { get; set; }
}

/// <summary>
/// Who has which draft open, from the editors' heartbeats. A soft note, not a lock: kept in the database
/// so people on different portal instances see each other, forgotten a minute after the last heartbeat.
/// Conflicts are still caught by the revision. Not audited: it changes no content.
/// </summary>
public sealed class DraftPresence(PortalDbContext db, TimeProvider clock)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public sealed record Visit(string Name, DateTime Since, DateTime LastSeen);

    /// <summary>Records that the user has the draft open now, and returns the other people who have it open.</summary>
    public async Task<IReadOnlyList<Visit>> BeatAsync(Guid document, string userId, string name, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var stale = now - Timeout;
        // Bounded: beats older than the timeout are removed as they are passed, whoever's they are.
        await db.PresenceBeats.Where(b => b.LastSeen < stale).ExecuteDeleteAsync(cancellationToken);
        var updated = await db.PresenceBeats.Where(b => b.DocumentId == document && b.UserId == userId)
            .ExecuteUpdateAsync(b => b.SetProperty(x => x.LastSeen, now).SetProperty(x => x.Name, name), cancellationToken);
        if (updated == 0)
        {
            db.PresenceBeats.Add(new PresenceBeat { DocumentId = document, UserId = userId, Name = name, Since = now, LastSeen = now });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // The same person's other tab inserted it a moment ago: it is there, which is all a beat needs.
                db.ChangeTracker.Clear();
            }
        }

        return await db.PresenceBeats.AsNoTracking()
            .Where(b => b.DocumentId == document && b.UserId != userId && b.LastSeen >= stale)
            .OrderBy(b => b.Since)
            .Select(b => new Visit(b.Name, b.Since, b.LastSeen))
            .ToListAsync(cancellationToken);
    }
}
