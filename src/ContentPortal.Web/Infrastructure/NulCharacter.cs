namespace ContentPortal.Web.Infrastructure;

/// <summary>
/// Refuses (400) a query or form value that holds U+0000. No person types it, SQLite would store it and
/// PostgreSQL refuses it in any text parameter (a 500 there), so both stores answer the same way: here,
/// before any handler runs — problem+json under /api, a short page for people.
/// </summary>
public static class NulCharacter
{
    public const string Message = "Text may not contain the NUL character (U+0000). Nothing was saved.";

    public static IApplicationBuilder UseNulCharacterRefusal(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (await HoldsNulAsync(context.Request))
        {
            await ErrorAnswer.WriteAsync(context, StatusCodes.Status400BadRequest, "Bad request", "The request was refused", Message);
            return;
        }

        await next(context);
    });

    private static async Task<bool> HoldsNulAsync(HttpRequest request)
    {
        if (request.Query.Any(q => q.Key.Contains('\0') || q.Value.Any(v => v?.Contains('\0') == true)))
        {
            return true;
        }

        if (!request.HasFormContentType)
        {
            return false;
        }

        try
        {
            // Buffered by the framework: model binding later reads the same parsed form.
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            return form.Any(f => f.Key.Contains('\0') || f.Value.Any(v => v?.Contains('\0') == true));
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            // An oversized or broken form is answered where it was before (model binding's own limits).
            return false;
        }
    }
}
