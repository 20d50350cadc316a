using Htmx;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace ContentPortal.Web.Infrastructure;

/// <summary>
/// The flash message ("Version 2 was submitted for review.") rides in the TempData cookie from a
/// POST to the page it redirects to. htmx fragments of the page being left (preview, presence,
/// autosave) can still be in flight at that moment; if they read or cleared TempData they would eat
/// the message meant for the next page. So a fragment request neither loads nor deletes it; it only
/// writes when it sets a message itself (before an HX-Redirect).
/// </summary>
public sealed class FragmentTempDataProvider(CookieTempDataProvider cookies) : ITempDataProvider
{
    public IDictionary<string, object> LoadTempData(HttpContext context) =>
        IsFragment(context.Request) ? new Dictionary<string, object>() : cookies.LoadTempData(context);

    public void SaveTempData(HttpContext context, IDictionary<string, object> values)
    {
        if (IsFragment(context.Request) && values.Count == 0)
        {
            return;
        }

        cookies.SaveTempData(context, values);
    }

    private static bool IsFragment(HttpRequest request) => request.IsHtmx() && !request.IsHtmxBoosted();
}
