using ContentPortal.Web.Webhooks;

namespace ContentPortal.Web.Tests.Webhooks;

/// <summary>WebhookSignature: the HMAC header subscribers verify.</summary>
public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec-test-0123456789";

    [Fact]
    public void Signature_matches_a_known_vector()
    {
        // printf '%s' '1700000000.{"event":"snapshot.published","snapshotId":7}' | openssl dgst -sha256 -hmac 'whsec-test-0123456789'
        const string body = "{\"event\":\"snapshot.published\",\"snapshotId\":7}";

        var header = WebhookSignature.Sign(Secret, 1700000000, body);

        Assert.Equal("t=1700000000,v1=5c9ab335461ce9847ff1c927acc975d28ece7de3b411129e3ed26a7b7b37cbdb", header);
        var at = DateTimeOffset.FromUnixTimeSeconds(1700000000);
        Assert.True(WebhookSignature.Verify(Secret, header, body, at.AddSeconds(60), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, header, body + " ", at, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("another-secret-0123", header, body, at, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, header, body, at.AddMinutes(6), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, header.Replace("t=1700000000", "t=1700000001"), body, at, TimeSpan.FromMinutes(5)));
    }
}
