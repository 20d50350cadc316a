using System.Net;
using Microsoft.AspNetCore.Mvc;

namespace ContentPortal.Web.Infrastructure;

/// <summary>
/// The database server is down or restarting: answer 503 with Retry-After — problem+json under /api, a
/// short page for people — instead of a 500. Outside the exception handler on purpose: its error page
/// needs the database too (sign-in checks run again), so it cannot render while the database is away.
/// The feed's fast path answers before this from memory and is unaffected.
/// </summary>
public static class DatabaseUnavailable
{
    public const string RetryAfterSeconds = "30";

    public const string Message = "The portal's database is not reachable just now. Nothing was saved; please try again in a minute.";

    public static IApplicationBuilder UseDatabaseUnavailable(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (Database.IsUnavailable(exception) && !context.Response.HasStarted)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseUnavailable))
                .LogError("Database unreachable during {Method} {Path}: {Reason}", context.Request.Method, context.Request.Path, exception.GetBaseException().Message);
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = RetryAfterSeconds;
            context.Response.Headers.CacheControl = "no-store";
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                await Results.Problem(title: "Service unavailable", detail: Message, statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context);
                return;
            }

            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync($"""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Try again in a minute - ContentPortal</title>
                <link rel="stylesheet" href="/css/site.css"></head>
                <body><main><h1>Try again in a minute</h1><p>{WebUtility.HtmlEncode(Message)}</p></main></body></html>
                """);
        }
    });
}
