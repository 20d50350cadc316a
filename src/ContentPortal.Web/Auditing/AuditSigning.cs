using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using ContentPortal.Domain;

namespace ContentPortal.Web.Auditing;

/// <summary>
/// ES256 (ECDSA P-256, SHA-256) as JOSE spells it: keys named by their RFC 7638 thumbprint and signatures
/// as detached compact JWS (RFC 7515 appendix F: <c>header..signature</c>), so any JOSE library checks them.
/// </summary>
public static class Es256
{
    /// <summary>The public point of <paramref name="key"/>, base64url, as in a JWK.</summary>
    public static (string X, string Y) PublicPoint(ECDsa key)
    {
        var point = key.ExportParameters(includePrivateParameters: false).Q;
        return (Base64Url.EncodeToString(point.X), Base64Url.EncodeToString(point.Y));
    }

    /// <summary>RFC 7638: SHA-256 over the required members in lexical order, no white space.</summary>
    public static string Thumbprint(string x, string y) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes($$"""{"crv":"P-256","kty":"EC","x":"{{x}}","y":"{{y}}"}""")));

    public static string Thumbprint(ECDsa key)
    {
        var (x, y) = PublicPoint(key);
        return Thumbprint(x, y);
    }

    /// <summary>A detached compact JWS over <paramref name="payload"/>: the header names the key.</summary>
    public static string SignDetached(ECDsa key, string keyId, ReadOnlySpan<byte> payload)
    {
        var header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($$"""{"alg":"ES256","kid":"{{keyId}}"}"""));
        var signingInput = Encoding.ASCII.GetBytes(header + "." + Base64Url.EncodeToString(payload));
        // .NET's default signature format is IEEE P1363 (r‖s), which is JWS's.
        return header + ".." + Base64Url.EncodeToString(key.SignData(signingInput, HashAlgorithmName.SHA256));
    }

    public static string SignDetached(ECDsa key, string keyId, string message) => SignDetached(key, keyId, Encoding.UTF8.GetBytes(message));

    /// <summary>
    /// A detached JWS over the pieces joined, without joining them: the signing input's base64url form is
    /// hashed as it is encoded, three bytes carried across piece boundaries (a feed can be tens of megabytes).
    /// </summary>
    public static string SignDetached(ECDsa key, string keyId, IReadOnlyList<ReadOnlyMemory<byte>> pieces)
    {
        var header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($$"""{"alg":"ES256","kid":"{{keyId}}"}"""));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.ASCII.GetBytes(header + "."));
        const int Chunk = 3 * 16 * 1024;
        var output = System.Buffers.ArrayPool<byte>.Shared.Rent(Chunk / 3 * 4);
        Span<byte> carry = stackalloc byte[3];
        var carried = 0;
        try
        {
            foreach (var piece in pieces)
            {
                var span = piece.Span;
                while (carried > 0 && carried < 3 && !span.IsEmpty)
                {
                    carry[carried++] = span[0];
                    span = span[1..];
                }

                if (carried == 3)
                {
                    hash.AppendData(output.AsSpan(0, Base64Url.EncodeToUtf8(carry, output)));
                    carried = 0;
                }

                var whole = span.Length - span.Length % 3;
                for (var at = 0; at < whole; at += Chunk)
                {
                    var part = span.Slice(at, Math.Min(Chunk, whole - at));
                    hash.AppendData(output.AsSpan(0, Base64Url.EncodeToUtf8(part, output)));
                }

                span[whole..].CopyTo(carry[carried..]);
                carried += span.Length - whole;
            }

            hash.AppendData(output.AsSpan(0, Base64Url.EncodeToUtf8(carry[..carried], output)));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(output);
        }

        // SignHash gives IEEE P1363 (r‖s), JWS's form.
        return header + ".." + Base64Url.EncodeToString(key.SignHash(hash.GetHashAndReset()));
    }

    /// <summary>The <c>kid</c> of a detached JWS's header, or null when it is not one.</summary>
    public static string? KeyIdOf(string? jws)
    {
        var dots = jws?.IndexOf("..", StringComparison.Ordinal) ?? -1;
        if (jws is null || dots <= 0)
        {
            return null;
        }

        try
        {
            using var header = System.Text.Json.JsonDocument.Parse(Base64Url.DecodeFromChars(jws.AsSpan(0, dots)));
            return header.RootElement.GetProperty("alg").GetString() == "ES256" && header.RootElement.TryGetProperty("kid", out var kid) ? kid.GetString() : null;
        }
        catch (Exception exception) when (exception is FormatException or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>True when <paramref name="jws"/> is an ES256 detached JWS over <paramref name="payload"/> by <paramref name="key"/>.</summary>
    public static bool VerifyDetached(ECDsa key, string? jws, ReadOnlySpan<byte> payload)
    {
        var dots = jws?.IndexOf("..", StringComparison.Ordinal) ?? -1;
        if (jws is null || dots <= 0)
        {
            return false;
        }

        try
        {
            var signature = Base64Url.DecodeFromChars(jws.AsSpan(dots + 2));
            var signingInput = Encoding.ASCII.GetBytes(jws[..dots] + "." + Base64Url.EncodeToString(payload));
            return key.VerifyData(signingInput, signature, HashAlgorithmName.SHA256);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static ECDsa PublicKey(string x, string y) => ECDsa.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP256,
        Q = new ECPoint { X = Base64Url.DecodeFromChars(x), Y = Base64Url.DecodeFromChars(y) },
    });
}

/// <summary>The recorded public keys, checking signatures by <c>kid</c> (public keys alone: no secret needed).</summary>
public sealed class AuditKeyRing : IDisposable
{
    private readonly Dictionary<string, ECDsa> keys;

    public AuditKeyRing(IEnumerable<AuditSigningKey> recorded)
    {
        keys = recorded.ToDictionary(k => k.KeyId, k => Es256.PublicKey(k.X, k.Y), StringComparer.Ordinal);
    }

    /// <summary>True when <paramref name="jws"/> is a signature over <paramref name="message"/> by the recorded key <paramref name="keyId"/> (which its header must name).</summary>
    public bool Verify(string message, string? keyId, string? jws) =>
        keyId is not null && Es256.KeyIdOf(jws) == keyId && keys.TryGetValue(keyId, out var key) && Es256.VerifyDetached(key, jws, Encoding.UTF8.GetBytes(message));

    public bool Holds(string keyId) => keys.ContainsKey(keyId);

    public void Dispose()
    {
        foreach (var key in keys.Values)
        {
            key.Dispose();
        }
    }
}
