using ContentPortal.Web.Auditing;
using ContentPortal.Web.Data;

namespace ContentPortal.Web.Seeding;

/// <summary>
/// <c>verify-audit</c>: checks every row (unreadable ones are named, never a crash), the hash chain, and
/// every signed checkpoint, key and snapshot head against it with the recorded public keys alone
/// (truncation, rehash, forged or deleted checkpoints, swapped keys, removed heads). Exit 0 if intact, 1 with
/// each finding on standard error. docs/operations.md, "Audit verification".
/// </summary>
public static class VerifyAuditCommand
{
    public const string Name = "verify-audit";

    public static async Task<int> RunAsync(IServiceProvider services, string[]? args = null)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var report = await services.GetRequiredService<AuditAnchor>().VerifyAsync(db);
        // --witness FILE_OR_URL, repeatable: heads kept by consumers, held against the trail.
        var witnesses = (args ?? []).Select((arg, i) => (arg, i)).Where(a => a.arg == "--witness" && a.i + 1 < args!.Length).Select(a => args![a.i + 1]).ToList();
        if (witnesses.Count > 0)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            report = report with { Findings = [.. report.Findings, .. await AuditWitnesses.CheckAsync(db, witnesses, http)] };
            Console.WriteLine($"Checked {witnesses.Count} witness copies of the chain head.");
        }

        if (report.Intact)
        {
            Console.WriteLine($"Audit trail intact: {report.Entries} entries, {report.Checkpoints} checkpoints" +
                (report.LegacyCheckpoints > 0 ? $" ({report.LegacyCheckpoints} legacy, symmetric: their entries checked, their HMACs not proof)" : "") +
                (report.Latest is { } latest ? $", latest signed checkpoint vouches for entry {latest.Sequence} ({latest.Hash}), key {latest.KeyId}." : " (none signed yet)."));
            foreach (var notice in report.Findings.Where(f => f.Notice))
            {
                Console.WriteLine("  Note: " + notice.Problem);
            }

            return 0;
        }

        Console.Error.WriteLine($"Audit trail NOT intact ({report.Entries} entries, {report.Checkpoints} checkpoints):");
        foreach (var finding in report.Findings)
        {
            Console.Error.WriteLine("  " + finding.Problem);
        }

        return 1;
    }
}
