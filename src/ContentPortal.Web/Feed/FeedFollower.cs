using System.Collections.Concurrent;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;
using Npgsql;

namespace ContentPortal.Web.Feed;

/// <summary>
/// Several instances: a publish committed on another instance is served here within milliseconds. The
/// publish transaction sends <see cref="Channel"/> (<c>pg_notify</c>, delivered at its commit) and every
/// instance listens on a connection of its own (reconnecting with backoff); polling every
/// <c>FeedFollower:PollSeconds</c> (default 1 s) stays as the fallback. Each load asks for the newest
/// snapshot id (one index probe) and loads that snapshot only when it is newer than the one served;
/// <see cref="PublishedFeed"/> never steps back, and swaps whole snapshots, never a mix.
/// A request about a snapshot newer than the one served (<c>since</c>, <c>to</c>, a snapshot id, an ETag
/// not seen here) catches up first (<see cref="CatchUpToAsync"/>), so no consumer is moved back.
/// Loads run one at a time: whoever arrives meanwhile waits on the next one, which starts after them.
/// Registered on PostgreSQL only: on SQLite there is one instance, which shows its own publishes at once.
/// </summary>
public sealed class FeedFollower(
    IServiceScopeFactory scopes,
    PublishedFeed feed,
    TimeProvider clock,
    IConfiguration configuration,
    ILogger<FeedFollower> logger) : PollingService(configuration, "FeedFollower", 1, clock, logger)
{
    /// <summary>The PostgreSQL notification channel a publish sends its snapshot id on.</summary>
    public const string Channel = "contentportal_snapshot";

    /// <summary>Tags of older snapshots remembered (so a consumer's stale ETag costs no database read).</summary>
    private const int PastTagsKept = 1024;

    private readonly object gate = new();
    private Task<bool>? running;
    private Task<bool>? queued;
    private long lastWastedTagLoad;
    private CurrentFeed? lastSeen;
    private readonly ConcurrentDictionary<string, byte> pastTags = new(StringComparer.Ordinal);

    // Off with the loop (FeedFollower:Background = false), so tests that drive rounds themselves stay in charge.
    private readonly bool listen = configuration.GetValue("FeedFollower:Listen", configuration.GetValue("FeedFollower:Background", true));

    /// <summary>How long a request waits for a catch-up before it answers 503 (a feed loads in well under this).</summary>
    private readonly TimeSpan wait = TimeSpan.FromSeconds(configuration.GetValue("FeedFollower:CatchUpSeconds", 10.0));

    /// <summary>After a load for an ETag that turned out older or made up, the next such load waits this long.</summary>
    private readonly TimeSpan unknownTagInterval = TimeSpan.FromMilliseconds(configuration.GetValue("FeedFollower:UnknownTagMilliseconds", 100.0));

    /// <summary>One round (public for tests): answers 1 when it moved to a newer snapshot.</summary>
    public Task<int> FollowAsync(CancellationToken cancellationToken) => RunRoundAsync(cancellationToken);

    protected override async Task<int> RoundAsync(CancellationToken cancellationToken) =>
        await LoadNewestAsync().WaitAsync(cancellationToken) ? 1 : 0;

    /// <summary>
    /// The current feed, after catching up when <paramref name="snapshotId"/> is newer than it (the newest
    /// stored snapshot may still be older: the caller says so). Null when nothing is published. No database
    /// read when the asked id is already served. Throws <see cref="TimeoutException"/> past the bound.
    /// </summary>
    public async ValueTask<CurrentFeed?> CatchUpToAsync(int snapshotId, CancellationToken cancellationToken)
    {
        if (feed.Current is { } current && current.SnapshotId >= snapshotId)
        {
            return current;
        }

        await LoadNewestAsync().WaitAsync(wait, Clock, cancellationToken);
        return feed.Current;
    }

    /// <summary>
    /// True when an If-None-Match that did not match the current feed names a tag of our form (a feed's
    /// strong validator, or its -gz/-br one) not known to be older: it may be a snapshot published elsewhere.
    /// </summary>
    public bool MayBeNewer(StringValues ifNoneMatch, CurrentFeed current)
    {
        RememberPast(current);
        foreach (var header in ifNoneMatch)
        {
            foreach (var part in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (BareTag(part) is { } tag && !pastTags.ContainsKey(tag))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Catches up for an ETag that may be newer (<see cref="MayBeNewer"/>). After a load the tags still not
    /// the current one are older (or made up: every snapshot a consumer can hold had committed before this
    /// request, so the load saw it) and are remembered. Such a wasted load holds off the next tag-driven
    /// one for <c>FeedFollower:UnknownTagMilliseconds</c>, so made-up tags cannot cost a read per request.
    /// </summary>
    /// <paramref name="served"/> picks the bytes the request asks for (the feed, an item, a rendition) from a feed:
    /// a tag equal to theirs after the load is current, not wasted.
    public async ValueTask<CurrentFeed?> CatchUpForTagAsync(StringValues ifNoneMatch, Func<CurrentFeed, FeedBytes?> served, CancellationToken cancellationToken)
    {
        Task<bool>? inFlight;
        lock (gate)
        {
            var held = lastWastedTagLoad != 0 && Clock.GetElapsedTime(lastWastedTagLoad) < unknownTagInterval;
            inFlight = !held ? null : queued ?? (running is { IsCompleted: false } load ? load : null);
            if (held && inFlight is null)
            {
                return feed.Current;
            }
        }

        if (inFlight is not null)
        {
            // Held off: answer from whatever a load already under way finds.
            await inFlight.WaitAsync(wait, Clock, cancellationToken);
            return feed.Current;
        }

        try
        {
            await LoadNewestAsync().WaitAsync(wait, Clock, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A database away or slow: the next tag-driven load waits too, so requests do not pile onto it.
            HoldOffTags();
            throw;
        }

        if (feed.Current is not { } current)
        {
            return null;
        }

        RememberPast(current);
        var wasted = false;
        var now = served(current) is { } bytes ? BareTag(bytes.ETag) : null;
        foreach (var tag in ifNoneMatch.SelectMany(h => (h ?? "").Split(',', StringSplitOptions.TrimEntries)).Select(BareTag))
        {
            if (tag is not null && tag != now)
            {
                wasted = true;
                if (pastTags.Count < PastTagsKept)
                {
                    pastTags.TryAdd(tag, 0);
                }
            }
        }

        if (wasted)
        {
            HoldOffTags();
        }

        return current;
    }

    private void HoldOffTags()
    {
        lock (gate)
        {
            lastWastedTagLoad = Clock.GetTimestamp();
        }
    }

    /// <summary>
    /// Sends the new snapshot's id to every instance when the caller's transaction commits (PostgreSQL
    /// delivers notifications at commit, none on rollback). Nothing on SQLite.
    /// </summary>
    public static async Task AnnounceAsync(PortalDbContext db, PublishedFeed shownBy, int snapshotId, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            shownBy.NoteAnnounced(snapshotId);
            var payload = snapshotId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {payload})", cancellationToken);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        listen
            ? Task.WhenAll(ListenAsync(stoppingToken), base.ExecuteAsync(stoppingToken))
            : base.ExecuteAsync(stoppingToken);

    /// <summary>
    /// The load in progress if it started after the caller arrived, else the next one (queued after the one
    /// in progress, which may have read the database before the caller's snapshot committed).
    /// </summary>
    private Task<bool> LoadNewestAsync()
    {
        lock (gate)
        {
            if (queued is not null)
            {
                return queued;
            }

            if (running is null || running.IsCompleted)
            {
                return running = LoadAsync();
            }

            return queued = AfterAsync(running);
        }

        async Task<bool> AfterAsync(Task<bool> previous)
        {
            // Forced to yield: the continuation runs once the caller has left the lock and set `queued`.
            await ((Task)previous).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);
            lock (gate)
            {
                running = queued;
                queued = null;
            }

            return await LoadAsync();
        }
    }

    private async Task<bool> LoadAsync()
    {
        // Not any one request's token: every waiter shares this load.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var newest = await db.Snapshots.AsNoTracking().OrderByDescending(s => s.Id).Select(s => (int?)s.Id).FirstOrDefaultAsync();
        if (newest is null || newest <= feed.Current?.SnapshotId)
        {
            return false;
        }

        await feed.ReloadAsync(db);
        Logger.LogInformation("Now serving snapshot {Snapshot}, published by another instance.", newest);
        return true;
    }

    /// <summary>
    /// LISTEN on a connection of its own (not pooled: the session must stay subscribed), reconnecting with
    /// backoff (0.25 s doubling to 30 s); after each (re)connect one load catches up on what was missed.
    /// </summary>
    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        string connectionString;
        await using (var scope = scopes.CreateAsyncScope())
        {
            connectionString = new NpgsqlConnectionStringBuilder(scope.ServiceProvider.GetRequiredService<PortalDbContext>().Database.GetConnectionString())
            {
                Pooling = false,
                KeepAlive = 15,
            }.ConnectionString;
        }

        var backoff = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, notice) => Announced(notice.Payload);
                await using (var command = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await command.ExecuteNonQueryAsync(stoppingToken);
                }

                backoff = TimeSpan.FromMilliseconds(250);
                Follow();
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Logger.LogWarning("Listening for publishes failed ({Reason}); polling meanwhile, trying again in {Seconds} s.", e.GetBaseException().Message, backoff.TotalSeconds);
                await Task.Delay(backoff, Clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    private void Announced(string payload)
    {
        if (!int.TryParse(payload, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            Follow();
        }
        else if (id <= feed.PublishedHere)
        {
            // Published here: shown right after its commit. Load it only if that did not happen (a failed commit
            // whose id another instance then took).
            _ = Task.Delay(OwnPublishGrace, Clock).ContinueWith(_ =>
            {
                if ((feed.Current?.SnapshotId ?? 0) < id)
                {
                    Follow();
                }
            }, TaskScheduler.Default);
        }
        else if (id > (feed.Current?.SnapshotId ?? 0))
        {
            Follow();
        }
    }

    private static readonly TimeSpan OwnPublishGrace = TimeSpan.FromMilliseconds(500);

    private void Follow() => LoadNewestAsync().ContinueWith(
        t => Logger.LogWarning("Loading a snapshot announced by another instance failed ({Reason}); the next poll tries again.", t.Exception!.GetBaseException().Message),
        CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    /// <summary>Remembers the tag of the feed served before this one: consumers send it back for a while.</summary>
    private void RememberPast(CurrentFeed current)
    {
        var before = Interlocked.Exchange(ref lastSeen, current);
        if (before is not null && !ReferenceEquals(before, current) && BareTag(before.Feed.ETag) is { } tag)
        {
            if (pastTags.Count >= PastTagsKept)
            {
                pastTags.Clear();
            }

            pastTags.TryAdd(tag, 0);
        }
    }

    /// <summary>The 32 hex digits of a feed validator in any of its forms (W/, -gz, -br), or null when not ours.</summary>
    private static string? BareTag(string part)
    {
        var tag = part.StartsWith("W/", StringComparison.Ordinal) ? part[2..] : part;
        if (tag.Length < 2 || tag[0] != '"' || tag[^1] != '"')
        {
            return null;
        }

        tag = tag[1..^1];
        if (tag.EndsWith("-gz", StringComparison.Ordinal) || tag.EndsWith("-br", StringComparison.Ordinal))
        {
            tag = tag[..^3];
        }

        return tag.Length == 32 && tag.AsSpan().IndexOfAnyExcept("0123456789abcdef") < 0 ? tag : null;
    }
}
