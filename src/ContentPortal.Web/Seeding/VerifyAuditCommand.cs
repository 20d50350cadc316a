using ContentPortal.Web.Auditing;
using ContentPortal.Web.Data;

namespace ContentPortal.Web.Seeding;

/// <summary>
/// <c>verify-audit</c>: checks every row (unreadable ones are named, never a crash), the hash chain, and
/// every keyed checkpoint against it (truncation, rehash, forged checkpoints). Exit 0 if intact, 1 with
/// each finding on standard error. docs/operations.md, "Audit verification".
/// </summary>
public static class VerifyAuditCommand
{
    public const string Name = "verify-audit";

    public static async Task<int> RunAsync(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var report = await services.GetRequiredService<AuditAnchor>().VerifyAsync(db);
        if (report.Intact)
        {
            Console.WriteLine($"Audit trail intact: {report.Entries} entries, {report.Checkpoints} checkpoints" +
                (report.Latest is { } latest ? $", latest checkpoint vouches for entry {latest.Sequence} ({latest.Hash})." : " (none written yet)."));
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
