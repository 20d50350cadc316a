using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContentPortal.Domain;
using ContentPortal.Web.Auditing;
using ContentPortal.Web.Seeding;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.Tokens;

namespace ContentPortal.Web.Tests.Audit;

/// <summary>
/// Issue 25: checkpoints and snapshot heads signed with ES256 by a key outside the database, checked with the
/// published public keys alone; no silent new key; rotation; the upgrade from HMAC checkpoints; the
/// checkpointer refusing a forged head.
/// </summary>
public sealed class AuditSigningTests
{
    [Fact]
    public async Task Snapshot_heads_are_signed_and_verify_with_the_jwks_alone_using_a_jose_library()
    {
        await using var local = new PortalFactory();
        _ = local.Server;
        await local.WithDbAsync(async db =>
        {
            db.WebhookSubscriptions.Add(WebhookSubscription.Create("http://127.0.0.1:9/hook", TestActors.Admin, local.Now));
            await db.SaveChangesAsync();
        });
        await local.ApproveNewVersionAsync("lower-back-pain-when-lying-down", c => c with { Summary = "Signed head." });
        await local.PublishAsync();

        // The private key: a 0600 PEM at the configured path, not in the database.
        Assert.True(File.Exists(local.AuditKeyPath));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(local.AuditKeyPath));
        }

        using var anonymous = local.NewClient();
        var jwksAnswer = await anonymous.Http.GetAsync("/.well-known/jwks.json");
        Assert.Equal(HttpStatusCode.OK, jwksAnswer.StatusCode);
        Assert.Equal("public, max-age=300", jwksAnswer.Headers.CacheControl?.ToString());
        var jwks = new JsonWebKeySet(await jwksAnswer.Content.ReadAsStringAsync());
        var key = Assert.Single(jwks.Keys);
        // kid is the RFC 7638 thumbprint, as the library computes it.
        Assert.Equal(key.Kid, Base64UrlEncoder.Encode(key.ComputeJwkThumbprint()));
        Assert.Equal("ES256", key.Alg);

        using var feed = JsonDocument.Parse(await anonymous.Http.GetStringAsync("/api/v1/feed"));
        var head = feed.RootElement.GetProperty("snapshot").GetProperty("auditChainHead");
        Assert.Equal(key.Kid, head.GetProperty("kid").GetString());
        var message = $"contentportal-audit-head/1|{head.GetProperty("sequence").GetInt64()}|{head.GetProperty("hash").GetString()}|{head.GetProperty("signedAt").GetString()}";
        Assert.True(VerifyDetached(key, head.GetProperty("signature").GetString()!, Encoding.UTF8.GetBytes(message)));
        Assert.False(VerifyDetached(key, head.GetProperty("signature").GetString()!, Encoding.UTF8.GetBytes(message + "0")));

        // The webhook notice carries the same signed head (inside the Standard Webhooks envelope's data).
        using var notice = JsonDocument.Parse(await local.WithDbAsync(db => db.WebhookDeliveries.Select(d => d.Body).SingleAsync()));
        Assert.Equal(head.GetRawText(), notice.RootElement.GetProperty("data").GetProperty("auditChainHead").GetRawText());

        // Every checkpoint is ES256 and linked to the one before it.
        var checkpoints = await local.WithDbAsync(db => db.AuditCheckpoints.AsNoTracking().OrderBy(c => c.Id).ToListAsync());
        Assert.True(checkpoints.Count >= 2);
        Assert.All(checkpoints, c => Assert.Equal(key.Kid, c.KeyId));
        Assert.All(checkpoints.Skip(1).Zip(checkpoints), pair => Assert.Equal((pair.Second.Sequence, pair.Second.Hash), (pair.First.PreviousSequence!.Value, pair.First.PreviousHash!)));
        Assert.All(checkpoints, c => Assert.True(VerifyDetached(key, c.Signature!, Encoding.UTF8.GetBytes(c.Message))));

        Assert.Equal(0, await VerifyAuditCommand.RunAsync(local.Services));
    }

    /// <summary>RFC 7515 appendix F: put the payload back between the dots and check the signature with the library's ES256.</summary>
    public static bool VerifyDetached(JsonWebKey key, string jws, byte[] payload)
    {
        var parts = jws.Split('.');
        Assert.Equal(3, parts.Length);
        Assert.Equal("", parts[1]);
        using var header = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(parts[0]));
        Assert.Equal("ES256", header.RootElement.GetProperty("alg").GetString());
        Assert.Equal(key.Kid, header.RootElement.GetProperty("kid").GetString());
        var provider = CryptoProviderFactory.Default.CreateForVerifying(key, SecurityAlgorithms.EcdsaSha256);
        try
        {
            return provider.Verify(Encoding.ASCII.GetBytes(parts[0] + "." + Base64UrlEncoder.Encode(payload)), Base64UrlEncoder.DecodeBytes(parts[2]));
        }
        finally
        {
            CryptoProviderFactory.Default.ReleaseSignatureProvider(provider);
        }
    }

    [Fact]
    public async Task A_missing_or_foreign_key_file_stops_the_start_with_a_clear_message()
    {
        // The seed's publish (snapshot 1) signed a head and checkpoints.
        await using var local = new PortalFactory();
        local.NewClient().Dispose();
        var original = await File.ReadAllTextAsync(local.AuditKeyPath);

        File.Delete(local.AuditKeyPath);
        var missing = await Assert.ThrowsAsync<AuditKeyRefusedException>(() => EnsureAsync(local));
        Assert.Contains("is missing, but the audit trail is signed with", missing.Message);
        Assert.Contains("rotate-audit-key --key-lost", missing.Message);
        Assert.False(File.Exists(local.AuditKeyPath));
        // The whole portal refuses to start on that database, rather than making a new key.
        await using (var again = new PortalFactory(new PortalOptions { Database = local.Database }))
        {
            Assert.ThrowsAny<Exception>(() => again.NewClient());
        }

        Assert.False(File.Exists(local.AuditKeyPath));

        using (var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            await File.WriteAllTextAsync(local.AuditKeyPath, stranger.ExportPkcs8PrivateKeyPem());
        }

        var foreign = await Assert.ThrowsAsync<AuditKeyRefusedException>(() => EnsureAsync(local));
        Assert.Contains("is not one of the keys this audit trail was signed with", foreign.Message);

        // The right key back: the start goes ahead and signs as before.
        await File.WriteAllTextAsync(local.AuditKeyPath, original);
        await EnsureAsync(local);
        await using var restarted = new PortalFactory(new PortalOptions { Database = local.Database });
        using var admin = await restarted.LoginAsync(PortalFactory.Admin);
        Assert.Contains("The chain is intact", (await admin.GetPageAsync("/Audit?handler=Verify")).Text);
    }

    /// <summary>What the start does, with a fresh anchor (the running one already holds the key).</summary>
    private static async Task EnsureAsync(PortalFactory portal)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Audit:SigningKeyPath"] = portal.AuditKeyPath }).Build();
        using var anchor = new AuditAnchor(configuration, portal.Services.GetRequiredService<IWebHostEnvironment>(), NullLogger<AuditAnchor>.Instance);
        await portal.WithDbAsync(db => anchor.EnsureSigningKeyAsync(db, portal.Now));
    }

    [Fact]
    public async Task Rotation_is_endorsed_by_the_old_key_and_a_lost_key_is_recorded_loudly()
    {
        // The seed's publish (snapshot 1) signed a head and checkpoints.
        await using var local = new PortalFactory();
        local.NewClient().Dispose();
        var first = await local.WithDbAsync(db => db.AuditSigningKeys.Select(k => k.KeyId).SingleAsync());

        Assert.Equal(0, await RotateAuditKeyCommand.RunAsync(local.Services, []));
        var keys = await local.WithDbAsync(db => db.AuditSigningKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync());
        Assert.Equal(2, keys.Count);
        Assert.Equal(first, keys[1].PreviousKeyId);
        Assert.NotNull(keys[1].Endorsement);
        Assert.True(File.Exists($"{local.AuditKeyPath}.{first}.retired"));
        await local.ApproveNewVersionAsync("lower-back-pain-when-lying-down", c => c with { Summary = "After rotation." });
        var snapshot = await local.PublishAsync();
        Assert.Equal(keys[1].KeyId, snapshot.AuditHeadKeyId);
        Assert.Equal(0, await VerifyAuditCommand.RunAsync(local.Services));

        // Lost: refused without saying so; with --key-lost, recorded in the trail and reported by verify.
        File.Delete(local.AuditKeyPath);
        Assert.Equal(1, await RotateAuditKeyCommand.RunAsync(local.Services, []));
        Assert.Equal(0, await RotateAuditKeyCommand.RunAsync(local.Services, ["--key-lost"]));
        Assert.Equal(1, await local.WithDbAsync(db => db.AuditTrail.CountAsync(e => e.Action == AuditKeyActions.KeyLost)));
        using var admin = await local.LoginAsync(PortalFactory.Admin);
        var verify = await admin.GetPageAsync("/Audit?handler=Verify");
        Assert.Contains("The chain is intact", verify.Text);
        Assert.Contains("after it was recorded as lost", verify.Text);
        using var anonymous = local.NewClient();
        Assert.Equal(3, new JsonWebKeySet(await anonymous.Http.GetStringAsync("/.well-known/jwks.json")).Keys.Count);
    }

    [Fact]
    public async Task The_upgrade_from_hmac_checkpoints_makes_the_first_key_keeps_the_old_ones_as_legacy_and_fills_in_missing_heads()
    {
        await using var local = new PortalFactory();
        var firstSnapshot = (await local.SnapshotIdsAsync())[0];
        // The database as the HMAC release left it: no keys, HMAC checkpoints, unsigned heads, the oldest snapshot without one.
        await local.WithDbAsync(async db =>
        {
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditCheckpoints\"");
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditSigningKeys\"");
            await db.Database.ExecuteSqlRawAsync("UPDATE \"Snapshots\" SET \"AuditHeadSignedAt\" = NULL, \"AuditHeadKeyId\" = NULL, \"AuditHeadSignature\" = NULL");
            await db.Database.ExecuteSqlRawAsync("UPDATE \"Snapshots\" SET \"AuditHeadSequence\" = NULL, \"AuditHeadHash\" = NULL WHERE \"Id\" = {0}", firstSnapshot);
            var head = await db.AuditTrail.OrderByDescending(e => e.Sequence).FirstAsync();
            var hmacKey = RandomNumberGenerator.GetBytes(32);
            db.AuditCheckpoints.Add(AuditCheckpoint.Legacy(head.Sequence, head.Hash, local.Now, "periodic", m => Convert.ToHexStringLower(HMACSHA256.HashData(hmacKey, Encoding.UTF8.GetBytes(m)))));
            await db.SaveChangesAsync();
        });
        File.Delete(local.AuditKeyPath);

        await using var upgraded = new PortalFactory(new PortalOptions { Database = local.Database });
        using var admin = await upgraded.LoginAsync(PortalFactory.Admin);
        Assert.True(File.Exists(upgraded.AuditKeyPath));
        var created = await upgraded.WithDbAsync(db => db.AuditTrail.SingleAsync(e => e.Action == AuditKeyActions.KeyCreated && e.Details.Contains("upgrade from HMAC")));
        var backfilled = await upgraded.WithDbAsync(db => db.Snapshots.AsNoTracking().SingleAsync(s => s.Id == firstSnapshot));
        Assert.True(backfilled.AuditHeadBackfilled);
        Assert.NotNull(backfilled.AuditHeadSequence);
        Assert.True(await upgraded.WithDbAsync(db => db.Snapshots.AllAsync(s => s.AuditHeadSequence != null)));

        var verify = await admin.GetPageAsync("/Audit?handler=Verify");
        Assert.Contains("The chain is intact", verify.Text);
        Assert.Contains("1 older checkpoints are legacy, symmetric", verify.Text);
        var first = await upgraded.WithDbAsync(db => db.AuditCheckpoints.AsNoTracking().Where(c => c.KeyId != null).OrderBy(c => c.Id).FirstAsync());
        // The first signed checkpoint follows the last HMAC one and covers the "key created" line.
        Assert.NotNull(first.PreviousSequence);
        Assert.True(first.Sequence >= created.Sequence);

        // A published feed's bytes never change: the filled-in head is for verify only.
        await upgraded.ApproveNewVersionAsync("lower-back-pain-when-lying-down", c => c with { Summary = "After the upgrade." });
        await upgraded.PublishAsync();
        Assert.Equal(0, await VerifyAuditCommand.RunAsync(upgraded.Services));
    }

    [Fact]
    public async Task The_checkpointer_never_signs_a_forged_head_and_tells_administrators()
    {
        // The seed's publish (snapshot 1) signed a head and checkpoints.
        await using var local = new PortalFactory();
        local.NewClient().Dispose();
        var before = await local.WithDbAsync(db => db.AuditCheckpoints.CountAsync());
        await AuditTampering.RewriteAndRehashAsync(local, 2);

        var checkpointer = local.Services.GetRequiredService<AuditCheckpointer>();
        Assert.Equal(0, await checkpointer.CheckpointAsync(default));
        Assert.Equal(before, await local.WithDbAsync(db => db.AuditCheckpoints.CountAsync()));
        var halted = local.Services.GetRequiredService<AuditAnchor>().Halted;
        Assert.Contains("Audit signing stopped", halted);

        using var admin = await local.LoginAsync(PortalFactory.Admin);
        Assert.Contains("Audit signing stopped", (await admin.GetPageAsync("/Audit")).Text);
        Assert.Contains("Audit signing stopped", (await admin.GetPageAsync("/")).Text);
        using var reviewer = await local.LoginAsync(PortalFactory.Reviewer);
        Assert.DoesNotContain("Audit signing stopped", (await reviewer.GetPageAsync("/")).Text);

        // Nothing is published under a head that does not verify.
        await local.ApproveNewVersionAsync("lower-back-pain-when-lying-down", c => c with { Summary = "Under a forged head." });
        var refused = await Assert.ThrowsAsync<RefusedException>(() => local.PublishAsync());
        Assert.Contains("Publishing is stopped", refused.Message);
        Assert.Equal(before, await local.WithDbAsync(db => db.AuditCheckpoints.CountAsync()));
    }
}
