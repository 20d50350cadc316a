using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContentPortal.Web.Pages;

/// <summary>Readable pages for bare status codes (403, 404, a refused form post, ...).</summary>
[IgnoreAntiforgeryToken]
public class StatusModel : PageModel
{
    public string Title { get; private set; } = "";

    public string Message { get; private set; } = "";

    public void OnGet(int code) => Describe(code);

    public void OnPost(int code) => Describe(code);

    private void Describe(int code)
    {
        (Title, Message) = code switch
        {
            400 => ("The request was refused", "The form was out of date or incomplete (for example, its security token was missing or expired). Go back, reload the page and try again."),
            403 => ("You do not have access to this", "Your account does not have the role this page needs. Ask an administrator if you think it should."),
            404 => ("Not found", "There is nothing at this address. It may have been moved, or the link is wrong."),
            _ => ($"Error {code}", "The portal could not finish that request."),
        };
    }
}
