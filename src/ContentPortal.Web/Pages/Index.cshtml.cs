using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContentPortal.Web.Pages;

/// <summary>The dashboard, the landing page after login: what needs this person next.</summary>
public class IndexModel(WorkQueues work, TimeProvider clock, ContentPortal.Domain.OverduePolicy overdue) : PageModel
{
    public DateTime Now { get; } = clock.GetUtcNow().UtcDateTime;

    /// <summary>Content:OverdueAction: with Withdraw, an overdue review says when the policy withdraws it.</summary>
    public ContentPortal.Domain.OverduePolicy Overdue { get; } = overdue;

    public WorkQueues.Queues Queues { get; private set; } = null!;

    public async Task OnGetAsync() => Queues = await work.ForAsync(User);
}
