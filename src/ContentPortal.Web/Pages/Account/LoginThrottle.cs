using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace ContentPortal.Web.Pages.Account;

/// <summary>
/// Failed logins, counted with ASP.NET Core's rate limiters (System.Threading.RateLimiting): per client address
/// (the one a trusted proxy forwards) across all accounts, and per account from that address. Only failures
/// use up permits, so nobody is slowed by logging in correctly, and failures from one address never stop the
/// same account from logging in from another. Keyed by the email as typed, so a non-account is throttled
/// exactly like an account. Replaces Identity's lockout at login, which let anyone lock anyone out.
/// </summary>
public sealed class LoginThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> addresses;
    private readonly PartitionedRateLimiter<string> accounts;
    private readonly TimeSpan window;
    private readonly int tallyEvery;

    // Bumped by an admin password reset, so the account starts afresh everywhere.
    private readonly ConcurrentDictionary<string, int> generations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Tally> tallies = new(StringComparer.Ordinal);

    public LoginThrottle(IConfiguration configuration)
    {
        window = TimeSpan.FromMinutes(configuration.GetValue("Login:WindowMinutes", 15.0));
        tallyEvery = Math.Max(1, configuration.GetValue("Login:AuditEvery", 10));
        addresses = Limiter(configuration.GetValue("Login:FailuresPerAddress", 20));
        accounts = Limiter(configuration.GetValue("Login:FailuresPerAccount", 5));
    }

    /// <summary>How long this address must wait before trying this email again; null when it may try now.</summary>
    public TimeSpan? RetryAfter(string address, string email)
    {
        foreach (var (limiter, key) in Keys(address, email))
        {
            using var lease = limiter.AttemptAcquire(key, 0);
            if (!lease.IsAcquired)
            {
                return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? wait : window;
            }
        }

        return null;
    }

    /// <summary>Counts one failure; true when it should be written to the audit trail (the first of a window, then every Nth).</summary>
    public bool Failed(string address, string email, string target, DateTime now, out int count)
    {
        foreach (var (limiter, key) in Keys(address, email))
        {
            limiter.AttemptAcquire(key, 1).Dispose();
        }

        if (tallies.Count > 10_000)
        {
            tallies.Clear(); // under a spread-out attack the trail still gets a row per new address
        }

        var tally = tallies.AddOrUpdate($"{address}|{target}", _ => new Tally(now, 1),
            (_, old) => now - old.Since > window ? new Tally(now, 1) : old with { Count = old.Count + 1 });
        count = tally.Count;
        return count == 1 || count % tallyEvery == 0;
    }

    /// <summary>An administrator reset the password: earlier failures no longer hold the account back.</summary>
    public void Forget(string email) => generations.AddOrUpdate(Normal(email), 1, (_, g) => g + 1);

    public void Dispose()
    {
        addresses.Dispose();
        accounts.Dispose();
    }

    private IEnumerable<(PartitionedRateLimiter<string> Limiter, string Key)> Keys(string address, string email)
    {
        var normal = Normal(email);
        yield return (addresses, address);
        yield return (accounts, $"{normal}|{generations.GetValueOrDefault(normal)}|{address}");
    }

    private static string Normal(string email) => email.Trim().ToUpperInvariant();

    private PartitionedRateLimiter<string> Limiter(int failures) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, failures),
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    private sealed record Tally(DateTime Since, int Count);
}
