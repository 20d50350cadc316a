using Microsoft.AspNetCore.Cors.Infrastructure;

namespace ContentPortal.Web.Feed;

/// <summary>
/// The feed is public data: any web app may read it from a browser (GET and HEAD only, no credentials).
/// Stated once here, for the CORS policy and for the fast path that answers before the CORS middleware.
/// </summary>
public static class FeedCors
{
    public const string Policy = "PublicFeed";

    private static readonly string[] ExposedHeaders = ["ETag", "Last-Modified", FeedHttp.SignatureHeader];

    public static void Configure(CorsPolicyBuilder policy) => policy
        .AllowAnyOrigin()
        .WithMethods(HttpMethods.Get, HttpMethods.Head)
        .WithHeaders("If-None-Match", "If-Modified-Since")
        .WithExposedHeaders(ExposedHeaders)
        .SetPreflightMaxAge(TimeSpan.FromDays(1));

    /// <summary>What <see cref="Configure"/>'s policy answers to a simple cross-origin GET.</summary>
    public static void ApplyToSimpleGet(IHeaderDictionary headers)
    {
        headers.AccessControlAllowOrigin = "*";
        headers.AccessControlExposeHeaders = string.Join(",", ExposedHeaders);
    }
}
