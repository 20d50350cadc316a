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
            context.Response.Headers.RetryAfter = RetryAfterSeconds;
            await ErrorAnswer.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Service unavailable", "Try again in a minute", Message);
        }
    });
}
