using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace ContentPortal.Web.Tests.Audit;

/// <summary>
/// Issue 25: every feed answer carries <c>Feed-Signature</c>, a detached JWS (ES256) over its identity bytes, that a
/// consumer checks with the JWKS and a JOSE library (here Microsoft.IdentityModel), also after gzip or Brotli.
/// </summary>
public sealed class FeedSignatureTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData("/api/v1/feed", null, null)]
    [InlineData("/api/v1/feed", "gzip", null)]
    [InlineData("/api/v1/feed", "br", null)]
    [InlineData("/api/v1/snapshots", null, null)]
    [InlineData("/api/v1/snapshots/1", "gzip", null)]
    [InlineData("/api/v1/snapshots/1/items", null, null)]
    [InlineData("/api/v1/articles/lower-back-pain-when-lying-down", null, null)]
    [InlineData("/api/v1/red-flag-lists/lower-back-pain-when-to-see-a-doctor", "br", "application/fhir+json")]
    [InlineData("/api/v1/changes?since=0", null, null)]
    public async Task Each_answer_is_signed_over_its_identity_bytes_once(string url, string? encoding, string? accept)
    {
        using var client = factory.NewClient();
        var jwks = new JsonWebKeySet(await client.Http.GetStringAsync("/.well-known/jwks.json"));
        var key = Assert.Single(jwks.Keys);

        var (identity, signature) = await GetAsync(client.Http, url, encoding, accept);
        Assert.True(AuditSigningTests.VerifyDetached(key, signature, identity), $"{url} ({encoding ?? "identity"}): the signature does not check");
        identity[identity.Length / 2] ^= 1;
        Assert.False(AuditSigningTests.VerifyDetached(key, signature, identity));

        // Made once per rendition: the next answer sends the very same signature (ECDSA signs differently each time).
        var (_, again) = await GetAsync(client.Http, url, encoding, accept);
        Assert.Equal(signature, again);
    }

    private static async Task<(byte[] Identity, string Signature)> GetAsync(HttpClient http, string url, string? encoding, string? accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (encoding is not null)
        {
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        }

        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(encoding, response.Content.Headers.ContentEncoding.SingleOrDefault());
        var body = await response.Content.ReadAsByteArrayAsync();
        // The signature covers the decoded bytes, whichever coding carried them.
        using var decoded = new MemoryStream();
        using (Stream source = encoding switch
        {
            "gzip" => new GZipStream(new MemoryStream(body), CompressionMode.Decompress),
            "br" => new BrotliStream(new MemoryStream(body), CompressionMode.Decompress),
            _ => new MemoryStream(body),
        })
        {
            await source.CopyToAsync(decoded);
        }

        return (decoded.ToArray(), Assert.Single(response.Headers.GetValues("Feed-Signature")));
    }
}
