namespace ContentPortal.Web.Infrastructure;

/// <summary>
/// Sent on every response. Scripts and styles only from our own files: no inline script anywhere, so
/// even text that slipped past the sanitizer could not run. The JSON API under /api gets a shorter, stricter
/// set: a JSON answer loads nothing and is framed by nobody, and the feed's hot path sends it on every request.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    /// <summary>For the JSON API (OWASP's REST headers): opened in a browser, nothing in it may load or run.</summary>
    public const string ApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
            {
                ApplyToApi(context.Response.Headers);
            }
            else
            {
                Apply(context.Response.Headers);
            }

            return Task.CompletedTask;
        });
        await next(context);
    });

    /// <summary>The headers of the portal's pages.</summary>
    public static void Apply(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers.TryAdd("Referrer-Policy", "same-origin"); // a page may send a stricter one (a guest's review link: none)
    }

    /// <summary>The headers of the JSON API; also used by the feed's fast path, which answers before this middleware.</summary>
    public static void ApplyToApi(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ApiContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
    }
}
