using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContentPortal.Web.Pages.Account;

public class AccessDeniedModel : PageModel
{
    public void OnGet()
    {
    }
}
