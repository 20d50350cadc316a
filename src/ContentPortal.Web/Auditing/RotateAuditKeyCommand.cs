using ContentPortal.Web.Data;

namespace ContentPortal.Web.Auditing;

/// <summary>
/// <c>rotate-audit-key [--key-lost]</c>: makes a new audit signing key and records it, endorsed by the current
/// key; with <c>--key-lost</c>, when the current key file is gone, records the loss as its own audit line
/// (verify reports it from then on). docs/operations.md, "Audit signing key".
/// </summary>
public static class RotateAuditKeyCommand
{
    public const string Name = "rotate-audit-key";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var anchor = services.GetRequiredService<AuditAnchor>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        try
        {
            var key = await anchor.RotateAsync(db, now, keyLost: args.Contains("--key-lost"));
            Console.WriteLine(key.PreviousLost
                ? $"Audit signing key {key.KeyId} written to {anchor.KeyPath}; the loss of {key.PreviousKeyId} is recorded in the audit trail. Back the new key up apart from the database."
                : $"Audit signing key {key.KeyId} written to {anchor.KeyPath}{(key.PreviousKeyId is null ? "" : $", endorsed by {key.PreviousKeyId} (kept as {anchor.KeyPath}.{key.PreviousKeyId}.retired)")}. Back it up apart from the database.");
            return 0;
        }
        catch (AuditKeyRefusedException refused)
        {
            Console.Error.WriteLine(refused.Message);
            return 1;
        }
    }
}
