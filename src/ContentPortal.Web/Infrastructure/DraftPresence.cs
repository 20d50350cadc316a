using System.Collections.Concurrent;

namespace ContentPortal.Web.Infrastructure;

/// <summary>
/// Who has which draft open, from the editors' heartbeats. A soft note, not a lock: kept in memory
/// (one app instance), forgotten a minute after the last heartbeat. Conflicts are still caught by the revision.
/// </summary>
public sealed class DraftPresence(TimeProvider clock)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<(Guid Document, string UserId), Visit> visits = new();

    public sealed record Visit(string Name, DateTime Since, DateTime LastSeen);

    /// <summary>Records that the user has the draft open now, and returns the other people who have it open.</summary>
    public IReadOnlyList<Visit> Beat(Guid document, string userId, string name)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        visits.AddOrUpdate((document, userId), _ => new Visit(name, now, now), (_, old) => old with { Name = name, LastSeen = now });
        foreach (var stale in visits.Where(v => now - v.Value.LastSeen > Timeout).Select(v => v.Key).ToList())
        {
            visits.TryRemove(stale, out _);
        }

        return visits.Where(v => v.Key.Document == document && v.Key.UserId != userId).Select(v => v.Value).OrderBy(v => v.Since).ToList();
    }
}
