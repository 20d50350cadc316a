using System.Net;

namespace ContentPortal.Web.Infrastructure;

/// <summary>
/// The one writer of an error answer: problem+json for the API (paths under /api), a page for people.
/// Used by the middleware that answers before any page runs (<see cref="DatabaseUnavailable"/>,
/// <see cref="NulCharacter"/>: a short page of their own, no layout, no database) and by the error page
/// (<see cref="Pages.ErrorModel"/>, which renders its own page for people).
/// </summary>
public static class ErrorAnswer
{
    /// <summary>True when <paramref name="path"/> (the path asked for, not the error page's) is the API's.</summary>
    public static bool IsForApi(PathString path) => path.StartsWithSegments("/api");

    /// <summary>The problem+json answer, at the response's status code.</summary>
    public static Task WriteProblemAsync(HttpContext context, string title, string detail) =>
        Results.Problem(title: title, detail: detail, statusCode: context.Response.StatusCode).ExecuteAsync(context);

    /// <summary>
    /// Answers <paramref name="status"/>, never cached: <paramref name="problemTitle"/> with <paramref name="message"/>
    /// as problem+json for the API, otherwise a short stand-alone page headed <paramref name="pageTitle"/>.
    /// </summary>
    public static async Task WriteAsync(HttpContext context, int status, string problemTitle, string pageTitle, string message)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        if (IsForApi(context.Request.Path))
        {
            await WriteProblemAsync(context, problemTitle, message);
            return;
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(pageTitle)} - ContentPortal</title>
            <link rel="stylesheet" href="/css/site.css"></head>
            <body><main><h1>{WebUtility.HtmlEncode(pageTitle)}</h1><p>{WebUtility.HtmlEncode(message)}</p></main></body></html>
            """);
    }

    /// <summary>The problem+json answer as a page handler's result (the error page's API answer).</summary>
    public sealed class Problem(string title, string detail) : Microsoft.AspNetCore.Mvc.IActionResult
    {
        public Task ExecuteResultAsync(Microsoft.AspNetCore.Mvc.ActionContext context) => WriteProblemAsync(context.HttpContext, title, detail);
    }
}
