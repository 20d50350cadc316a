using System.Diagnostics;
using ContentPortal.Domain;
using ContentPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContentPortal.Web.Pages;

/// <summary>Where unhandled exceptions land. API callers get problem+json, people get a page.</summary>
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public class ErrorModel : PageModel
{
    public string Title { get; private set; } = "Something went wrong";

    public string Message { get; private set; } = "The portal could not finish that. Nothing was half-saved; please try again.";

    public string? RequestId { get; private set; }

    public IActionResult OnGet() => Handle();

    public IActionResult OnPost() => Handle();

    private IActionResult Handle()
    {
        RequestId = Activity.Current?.Id ?? HttpContext.TraceIdentifier;
        var failure = HttpContext.Features.Get<IExceptionHandlerPathFeature>();
        if (failure?.Error is RefusedException refused)
        {
            Title = "That was refused";
            Message = refused.Message;
        }
        else if (Database.IsUnavailable(failure?.Error))
        {
            // The database server is down or restarting: say so and when to try again, not "something went wrong".
            Title = "The portal's database is not reachable";
            Message = "Nothing was saved. The database server did not answer; please try again in a minute.";
            Response.Headers.RetryAfter = "30";
        }

        if (failure is not null && ErrorAnswer.IsForApi(failure.Path))
        {
            return new ErrorAnswer.Problem(Title, Message);
        }

        return Page();
    }
}
