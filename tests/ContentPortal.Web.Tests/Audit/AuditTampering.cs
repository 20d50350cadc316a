using System.Security.Cryptography;
using ContentPortal.Domain;
using ContentPortal.Web.Auditing;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Audit;

/// <summary>What someone with write access to the database (and not to the key file) can do, in plain SQL on either store.</summary>
public static class AuditTampering
{
    /// <summary>Changes entry <paramref name="sequence"/> and recomputes every later hash with the chain's own rule.</summary>
    public static Task RewriteAndRehashAsync(PortalFactory portal, long sequence) => portal.WithDbAsync(async db =>
    {
        var entries = await db.AuditTrail.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
        AuditEntry? previous = null;
        foreach (var e in entries)
        {
            var rewritten = AuditEntry.Stored(e.Sequence, e.At, e.ActorId, e.ActorName, e.Action, e.Subject,
                e.Sequence == sequence ? "nothing to see here" : e.Details, previous?.Hash ?? AuditEntry.GenesisHash, "");
            rewritten = AuditEntry.Stored(e.Sequence, e.At, e.ActorId, e.ActorName, e.Action, e.Subject, rewritten.Details, rewritten.PreviousHash, rewritten.ComputeHash());
            await db.Database.ExecuteSqlRawAsync("UPDATE \"AuditTrail\" SET \"Details\" = {0}, \"PreviousHash\" = {1}, \"Hash\" = {2} WHERE \"Sequence\" = {3}",
                rewritten.Details, rewritten.PreviousHash, rewritten.Hash, e.Sequence);
            previous = rewritten;
        }
    });

    public static Task DeleteTailAsync(PortalFactory portal, int count) => portal.WithDbAsync(async db =>
    {
        var last = await db.AuditTrail.MaxAsync(e => e.Sequence);
        await db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditTrail\" WHERE \"Sequence\" > {0}", last - count);
    });

    public static Task DeleteCheckpointsAsync(PortalFactory portal) =>
        portal.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditCheckpoints\""));

    public static Task NullHeadsAsync(PortalFactory portal) => portal.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
        "UPDATE \"Snapshots\" SET \"AuditHeadSequence\" = NULL, \"AuditHeadHash\" = NULL, \"AuditHeadSignedAt\" = NULL, \"AuditHeadKeyId\" = NULL, \"AuditHeadSignature\" = NULL"));

    public static Task DeleteKeysAsync(PortalFactory portal) =>
        portal.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditSigningKeys\""));

    /// <summary>
    /// Swaps the recorded public key for the attacker's own and re-signs every checkpoint and snapshot head
    /// with it: everything in the database checks out against the swapped key.
    /// </summary>
    public static Task SwapKeyAsync(PortalFactory portal) => portal.WithDbAsync(async db =>
    {
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (x, y) = Es256.PublicPoint(attacker);
        var kid = Es256.Thumbprint(x, y);
        await db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditSigningKeys\"");
        db.AuditSigningKeys.Add(AuditSigningKey.First(kid, x, y, portal.Now));
        var checkpoints = await db.AuditCheckpoints.AsNoTracking().OrderBy(c => c.Id).ToListAsync();
        await db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditCheckpoints\"");
        AuditCheckpoint? previous = null;
        foreach (var c in checkpoints)
        {
            var forged = AuditCheckpoint.Signed(c.Sequence, c.Hash, c.At, c.Reason, previous, kid, m => Es256.SignDetached(attacker, kid, m));
            db.AuditCheckpoints.Add(forged);
            previous = forged;
        }

        await db.SaveChangesAsync();
        var heads = await db.Snapshots.AsNoTracking().Where(s => s.AuditHeadSignedAt != null).Select(s => new { s.Id, s.AuditHeadSequence, s.AuditHeadHash, s.AuditHeadSignedAt }).ToListAsync();
        foreach (var head in heads)
        {
            var signature = Es256.SignDetached(attacker, kid, AuditHead.Message(head.AuditHeadSequence!.Value, head.AuditHeadHash!, head.AuditHeadSignedAt!.Value));
            await db.Database.ExecuteSqlRawAsync("UPDATE \"Snapshots\" SET \"AuditHeadKeyId\" = {0}, \"AuditHeadSignature\" = {1} WHERE \"Id\" = {2}", kid, signature, head.Id);
        }
    });
}
