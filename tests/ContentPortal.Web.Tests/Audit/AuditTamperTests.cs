using ContentPortal.Web.Auditing;
using ContentPortal.Web.Seeding;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContentPortal.Web.Tests.Audit;

/// <summary>
/// Issue 25's attacks, each alone and all together, by someone who can write the database but not the key
/// file: both verify paths (the Audit page and <c>verify-audit</c>) report them.
/// </summary>
public sealed class AuditTamperTests
{
    [Theory]
    [InlineData("rewrite", "the chain up to it was rewritten and rehashed")]
    [InlineData("tail", "entries were deleted from the end")]
    [InlineData("checkpoints", "checkpoints were deleted")]
    [InlineData("heads", "has no recorded chain head")]
    [InlineData("key-swap", "the recorded keys were replaced")]
    [InlineData("key-deletion", "is not signed by any recorded key")]
    [InlineData("all", "has no recorded chain head")]
    public async Task Each_tamper_is_reported_by_both_verify_paths(string tamper, string reported)
    {
        await using var local = new PortalFactory();
        await local.ApproveNewVersionAsync("lower-back-pain-when-lying-down", c => c with { Summary = "Before the tamper." });
        await local.PublishAsync();
        using var admin = await local.LoginAsync(PortalFactory.Admin);
        Assert.Contains("The chain is intact", (await admin.GetPageAsync("/Audit?handler=Verify")).Text);
        Assert.Equal(0, await VerifyAuditCommand.RunAsync(local.Services));

        switch (tamper)
        {
            case "rewrite":
                await AuditTampering.RewriteAndRehashAsync(local, 2);
                break;
            case "tail":
                await AuditTampering.DeleteTailAsync(local, 3);
                break;
            case "checkpoints":
                await AuditTampering.DeleteCheckpointsAsync(local);
                break;
            case "heads":
                await AuditTampering.NullHeadsAsync(local);
                break;
            case "key-swap":
                await AuditTampering.SwapKeyAsync(local);
                break;
            case "key-deletion":
                await AuditTampering.DeleteKeysAsync(local);
                break;
            default:
                // The attack: rewrite and rehash, cut the tail, delete every checkpoint and key, null the heads.
                await AuditTampering.RewriteAndRehashAsync(local, 2);
                await AuditTampering.DeleteTailAsync(local, 3);
                await AuditTampering.DeleteCheckpointsAsync(local);
                await AuditTampering.DeleteKeysAsync(local);
                await AuditTampering.NullHeadsAsync(local);
                break;
        }

        var verify = await admin.GetPageAsync("/Audit?handler=Verify");
        Assert.DoesNotContain("The chain is intact", verify.Text);
        Assert.Contains(reported, verify.Text);
        Assert.Equal(1, await VerifyAuditCommand.RunAsync(local.Services));
    }

    [Theory]
    [InlineData("rewrite", "the chain was rewritten")]
    [InlineData("tail", "entries were deleted")]
    [InlineData("key-swap", "is not signed by any recorded key")]
    public async Task A_head_a_consumer_kept_witnesses_against_a_rewritten_trail(string tamper, string reported)
    {
        await using var local = new PortalFactory();
        await local.ApproveNewVersionAsync("lower-back-pain-when-lying-down", c => c with { Summary = "Witnessed." });
        await local.PublishAsync();
        using var anonymous = local.NewClient();
        var saved = Path.Combine(Path.GetDirectoryName(local.AuditKeyPath)!, "saved-feed.json");
        await File.WriteAllTextAsync(saved, await anonymous.Http.GetStringAsync("/api/v1/feed"));
        using var http = new HttpClient();
        Assert.Empty(await local.WithDbAsync(db => AuditWitnesses.CheckAsync(db, [saved], http)));
        Assert.Equal(0, await VerifyAuditCommand.RunAsync(local.Services, ["--witness", saved]));

        var head = await local.WithDbAsync(db => db.Snapshots.MaxAsync(s => s.AuditHeadSequence!.Value));
        switch (tamper)
        {
            case "rewrite":
                await AuditTampering.RewriteAndRehashAsync(local, head - 1);
                break;
            case "tail":
                await AuditTampering.DeleteTailAsync(local, (int)(await local.WithDbAsync(db => db.AuditTrail.MaxAsync(e => e.Sequence)) - head + 1));
                break;
            default:
                await AuditTampering.SwapKeyAsync(local);
                break;
        }

        var findings = await local.WithDbAsync(db => AuditWitnesses.CheckAsync(db, [saved, Path.Combine(Path.GetDirectoryName(saved)!, "missing.json")], http));
        Assert.Contains(findings, f => f.Problem.StartsWith($"Witness {saved}", StringComparison.Ordinal) && f.Problem.Contains(reported, StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Problem.Contains("missing.json cannot be read", StringComparison.Ordinal));
        Assert.Equal(1, await VerifyAuditCommand.RunAsync(local.Services, ["--witness", saved]));
    }
}
