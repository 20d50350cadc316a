using ContentPortal.Domain;
using ContentPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Seeding;

/// <summary><c>verify-audit</c>: checks the audit trail's hash chain; exit 0 if intact, 1 naming the first broken entry.</summary>
public static class VerifyAuditCommand
{
    public const string Name = "verify-audit";

    public static async Task<int> RunAsync(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var entries = await db.AuditTrail.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
        var broken = AuditChain.Verify(entries);
        if (broken is null)
        {
            Console.WriteLine($"Audit trail intact: {entries.Count} entries, last hash {entries.LastOrDefault()?.Hash ?? AuditEntry.GenesisHash}.");
            return 0;
        }

        Console.Error.WriteLine($"Audit trail BROKEN at entry {broken.Sequence}: {broken.Reason}");
        return 1;
    }
}
