using ContentPortal.Web.Data;
using ContentPortal.Web.Feed;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Auditing;

/// <summary>
/// <c>/.well-known/jwks.json</c>: every public key the audit chain and the feed were ever signed with (RFC 7517),
/// so consumers and auditors check signatures without asking anyone. Public and cacheable: keys only get added.
/// </summary>
public static class AuditJwks
{
    public const string Path = "/.well-known/jwks.json";

    public static IEndpointRouteBuilder MapAuditJwks(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, async (PortalDbContext db, HttpContext context) =>
        {
            var keys = await db.AuditSigningKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync(context.RequestAborted);
            context.Response.Headers.CacheControl = "public, max-age=300";
            return Results.Json(new { keys = keys.Select(k => new { kty = "EC", crv = "P-256", x = k.X, y = k.Y, kid = k.KeyId, use = "sig", alg = "ES256" }) },
                contentType: "application/jwk-set+json");
        }).AllowAnonymous().RequireCors(FeedCors.Policy).ExcludeFromDescription();
        return app;
    }
}
