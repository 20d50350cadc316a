using ContentPortal.Domain;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Infrastructure;

/// <summary>
/// The one way pages turn a domain refusal into a message, and answer "go there" to htmx and plain
/// requests alike.
/// </summary>
public static class PageOutcomes
{
    /// <summary>
    /// Runs a state change (domain calls and the save). A field refusal lands next to its field
    /// (<paramref name="fieldPrefix"/> "Input" makes "Title" → "Input.Title"), any other refusal at the
    /// top of the form, and a save that lost a race with another one as <paramref name="onRace"/> says
    /// (left out, the race is not caught). A stale draft is not caught either: the editor answers it with
    /// its conflict screen. True when the change went through.
    /// </summary>
    public static async Task<bool> TryAsync(this PageModel page, Func<Task> change, string fieldPrefix = "", Func<DbUpdateException, string>? onRace = null)
    {
        try
        {
            await change();
            return true;
        }
        catch (InvalidContentException invalid)
        {
            page.ModelState.AddFieldErrors(invalid, fieldPrefix);
        }
        catch (RefusedException refused) when (refused is not StaleDraftException)
        {
            page.ModelState.AddModelError(string.Empty, refused.Message);
        }
        catch (DbUpdateException race) when (onRace is not null)
        {
            page.ModelState.AddModelError(string.Empty, onRace(race));
        }

        return false;
    }

    /// <summary>Every message in the model state as one text, for pages that redirect and show it as the status message.</summary>
    public static string Messages(this ModelStateDictionary modelState) =>
        string.Join(" ", modelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage));

    /// <summary>Puts each domain field error next to its form field ("Title" → "Input.Title").</summary>
    public static void AddFieldErrors(this ModelStateDictionary modelState, InvalidContentException invalid, string prefix)
    {
        foreach (var (field, message) in invalid.Errors)
        {
            modelState.AddModelError(prefix.Length == 0 ? field : $"{prefix}.{field}", message);
        }
    }

    /// <summary>htmx gets <c>HX-Redirect</c> (a 302 would be followed inside the fragment); a plain form post gets a 302.</summary>
    public static IActionResult RedirectEither(this PageModel page, string url)
    {
        if (page.Request.IsHtmx())
        {
            page.Response.Htmx(h => h.Redirect(url));
            return new EmptyResult();
        }

        return new RedirectResult(url);
    }
}
