using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContentPortal.Web.Pages;

/// <summary>The landing page is the content list until the dashboard exists.</summary>
public class IndexModel : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Content/Index");
}
