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
    /// top of the form. A stale copy is one case however it shows (the domain's
    /// <see cref="StaleDraftException"/>, or a save that lost the race to another one: the revision token,
    /// a unique index): <paramref name="stale"/> says it at the top, or <paramref name="showStale"/> shows
    /// what is stored now (the editor's conflict screen); given neither, it is not caught. True when the
    /// change went through.
    /// </summary>
    public static async Task<bool> TryAsync(this PageModel page, Func<Task> change, string fieldPrefix = "", string? stale = null, Func<Task>? showStale = null)
    {
        try
        {
            await change();
            return true;
        }
        catch (Exception e) when (e is StaleDraftException or DbUpdateException && (stale is not null || showStale is not null))
        {
            if (showStale is not null)
            {
                await showStale();
            }
            else
            {
                page.ModelState.AddModelError(string.Empty, stale!);
            }
        }
        catch (InvalidContentException invalid)
        {
            page.ModelState.AddFieldErrors(invalid, fieldPrefix);
        }
        catch (RefusedException refused) when (refused is not StaleDraftException)
        {
            page.ModelState.AddModelError(string.Empty, refused.Message);
        }

        return false;
    }

    /// <summary>
    /// A page action as load → change → answer: 404 when nothing was found (<paramref name="target"/> is
    /// null), else the change run by <see cref="TryAsync"/>; its own answer when it went through,
    /// <paramref name="refused"/>'s (the form again, with the messages) when it did not.
    /// </summary>
    public static async Task<IActionResult> ActAsync<T>(this PageModel page, T? target, Func<T, Task<IActionResult>> change, Func<T, Task<IActionResult>> refused, string fieldPrefix = "", string? stale = null)
        where T : class
    {
        if (target is null)
        {
            return new NotFoundResult();
        }

        IActionResult? done = null;
        return await page.TryAsync(async () => done = await change(target), fieldPrefix, stale) ? done! : await refused(target);
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
