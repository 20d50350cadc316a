using System.Globalization;
using System.Text.Json;
using ContentPortal.Domain;
using ContentPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Auditing;

/// <summary>
/// <c>verify-audit --witness FILE_OR_URL</c>: chain heads kept by others (a saved feed, a webhook body or the
/// bare <c>auditChainHead</c>) held against the trail. Whoever rewrote the database could not change these
/// copies: a head the trail no longer holds is reported, and so is a copy whose signature does not check.
/// </summary>
public static class AuditWitnesses
{
    public static async Task<IReadOnlyList<AuditFinding>> CheckAsync(PortalDbContext db, IReadOnlyList<string> sources, HttpClient http, CancellationToken cancellationToken = default)
    {
        var findings = new List<AuditFinding>();
        if (sources.Count == 0)
        {
            return findings;
        }

        using var ring = new AuditKeyRing(await db.AuditSigningKeys.AsNoTracking().ToListAsync(cancellationToken));
        foreach (var source in sources)
        {
            JsonElement head;
            try
            {
                var text = Uri.TryCreate(source, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
                    ? await http.GetStringAsync(uri, cancellationToken)
                    : await File.ReadAllTextAsync(source, cancellationToken);
                using var document = JsonDocument.Parse(text);
                var root = document.RootElement;
                head = (root.TryGetProperty("snapshot", out var snapshot) && snapshot.TryGetProperty("auditChainHead", out var inFeed) ? inFeed
                    : root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("auditChainHead", out var inNotice) ? inNotice
                    : root.TryGetProperty("auditChainHead", out var inOlderNotice) ? inOlderNotice
                    : root).Clone();
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or HttpRequestException or JsonException or TaskCanceledException or InvalidOperationException)
            {
                findings.Add(new AuditFinding(null, $"Witness {source} cannot be read: {exception.Message}"));
                continue;
            }

            if (head.ValueKind != JsonValueKind.Object || !head.TryGetProperty("sequence", out var sequenceValue) || !sequenceValue.TryGetInt64(out var sequence)
                || !head.TryGetProperty("hash", out var hashValue) || hashValue.GetString() is not { } hash)
            {
                findings.Add(new AuditFinding(null, $"Witness {source} holds no audit chain head (auditChainHead with sequence and hash)."));
                continue;
            }

            if (head.TryGetProperty("signature", out var signature))
            {
                // The message is rebuilt from the fields exactly as the witness holds them.
                var signedAt = head.TryGetProperty("signedAt", out var at) ? at.GetString() : null;
                var kid = head.TryGetProperty("kid", out var k) ? k.GetString() : null;
                if (!ring.Verify($"contentportal-audit-head/1|{sequence.ToString(CultureInfo.InvariantCulture)}|{hash}|{signedAt}", kid, signature.GetString()))
                {
                    findings.Add(new AuditFinding(sequence, $"Witness {source}: its head for entry {sequence} is not signed by any recorded key (the copy was altered, or the recorded keys were replaced)."));
                    continue;
                }
            }

            if (sequence == 0)
            {
                continue;
            }

            var stored = await db.AuditTrail.AsNoTracking().Where(e => e.Sequence == sequence).Select(e => e.Hash).FirstOrDefaultAsync(cancellationToken);
            if (stored is null)
            {
                findings.Add(new AuditFinding(sequence, $"Witness {source} holds entry {sequence} with hash {hash}, but the trail has no entry {sequence}: entries were deleted."));
            }
            else if (stored != hash)
            {
                findings.Add(new AuditFinding(sequence, $"Witness {source} holds entry {sequence} with hash {hash}, but it now has {stored}: the chain was rewritten."));
            }
        }

        return findings;
    }
}
