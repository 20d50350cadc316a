using System.Security.Cryptography;
using System.Text;

namespace ContentPortal.Web.Webhooks;

/// <summary>
/// <c>ContentPortal-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "&lt;t&gt;.&lt;body&gt;"&gt;</c>.
/// The timestamp is signed too, so a captured request cannot be replayed later with a new time.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "ContentPortal-Signature";

    public static string Sign(string secret, long unixSeconds, string body)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{unixSeconds}.{body}"));
        return $"t={unixSeconds},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>What a subscriber does (docs/feed.md has the same code): constant-time compare, bounded clock skew.</summary>
    public static bool Verify(string secret, string header, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        long? t = null;
        var signatures = new List<string>();
        foreach (var part in header.Split(','))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2)
            {
                continue;
            }

            if (kv[0].Trim() == "t" && long.TryParse(kv[1], out var parsed))
            {
                t = parsed;
            }
            else if (kv[0].Trim() == "v1")
            {
                signatures.Add(kv[1].Trim());
            }
        }

        if (t is null || Math.Abs(now.ToUnixTimeSeconds() - t.Value) > tolerance.TotalSeconds)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, t.Value, body).Split("v1=")[1]);
        return signatures.Any(s => CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(s)));
    }
}
