using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContentPortal.Web.Pages;

/// <summary>The dashboard, the landing page after login: what needs this person next.</summary>
public class IndexModel(WorkQueues work, TimeProvider clock) : PageModel
{
    public DateTime Now { get; } = clock.GetUtcNow().UtcDateTime;

    public WorkQueues.Queues Queues { get; private set; } = null!;

    public async Task OnGetAsync() => Queues = await work.ForAsync(User);
}
