using Microsoft.AspNetCore.WebUtilities;

namespace ContentPortal.Web.Infrastructure;

public static class LoginReturn
{
    /// <summary>
    /// Where the login should lead back to after an htmx call found the session expired: the page the
    /// person was on (HX-Current-URL, same origin only), not the fragment handler that was called.
    /// </summary>
    public static string ForHtmx(HttpRequest request, string fallback, PathString loginPath)
    {
        if (!Uri.TryCreate(request.Headers["HX-Current-URL"].ToString(), UriKind.Absolute, out var current)
            || !string.Equals(current.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase))
        {
            return fallback;
        }

        return QueryHelpers.AddQueryString(request.PathBase + loginPath, "ReturnUrl", current.PathAndQuery);
    }
}
