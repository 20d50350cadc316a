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

/// <summary>
/// The Standard Webhooks headers (standardwebhooks.com), so subscribers can verify with an off-the-shelf library:
/// <c>webhook-id</c> (the delivery's id: the same on every retry, for de-duplication), <c>webhook-timestamp</c>
/// (unix seconds of this attempt) and <c>webhook-signature</c> (<c>v1,</c> + base64 HMAC-SHA256 of
/// <c>"{id}.{timestamp}.{body}"</c>). Sent beside <see cref="WebhookSignature.Header"/>, which existing subscribers check.
/// </summary>
public static class StandardWebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    public static void AddHeaders(System.Net.Http.Headers.HttpRequestHeaders headers, string secret, string id, DateTimeOffset at, string body)
    {
        var timestamp = at.ToUnixTimeSeconds();
        headers.Add(IdHeader, id);
        headers.Add(TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        headers.Add(SignatureHeader, Sign(secret, id, timestamp, body));
    }

    public static string Sign(string secret, string id, long unixSeconds, string body)
    {
        var mac = HMACSHA256.HashData(Key(secret), Encoding.UTF8.GetBytes($"{id}.{unixSeconds}.{body}"));
        return "v1," + Convert.ToBase64String(mac);
    }

    /// <summary>
    /// The HMAC key: for a "whsec_" secret the bytes its base64 encodes, as the standard's libraries read it. A secret
    /// typed before the portal made them all (any text of 16+ characters) is used as its UTF-8 bytes; its subscriber
    /// passes those bytes to the library (docs/feed.md).
    /// </summary>
    public static byte[] Key(string secret)
    {
        if (secret.StartsWith(Domain.WebhookSecret.Prefix, StringComparison.Ordinal))
        {
            var encoded = secret[Domain.WebhookSecret.Prefix.Length..];
            var buffer = new byte[encoded.Length];
            if (Convert.TryFromBase64String(encoded, buffer, out var written) && written > 0)
            {
                return buffer[..written];
            }
        }

        return Encoding.UTF8.GetBytes(secret);
    }
}
