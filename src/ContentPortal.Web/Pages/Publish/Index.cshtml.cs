using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Feed;
using ContentPortal.Web.Infrastructure;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Publish;

/// <summary>What the next snapshot would change, and the Publish button. Publishers only (folder convention).</summary>
public class IndexModel(PortalDbContext db, PublishedFeed feed, Webhooks.WebhookOutbox outbox, TimeProvider clock) : PageModel
{
    public SnapshotPlan Plan { get; private set; } = null!;

    public IReadOnlyList<SnapshotRow> Snapshots { get; private set; } = [];

    [BindProperty]
    public string? Note { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        try
        {
            var snapshot = await Publishing.PublishAsync(db, feed, outbox, User.ToActor(), clock.GetUtcNow().UtcDateTime, Note);
            Message = $"Published snapshot {snapshot.Id}. The feed now serves it.";
            Note = null;
            ModelState.Clear();
        }
        catch (RefusedException refused)
        {
            ModelState.AddModelError(string.Empty, refused.Message);
        }

        if (!Request.IsHtmx() && ModelState.IsValid)
        {
            return RedirectToPage(); // post/redirect/get: a reload never publishes twice.
        }

        db.ChangeTracker.Clear();
        await LoadAsync();
        if (Request.IsHtmx())
        {
            // Shown in this fragment already; TempData would show it again on the next full page.
            TempData.Remove(nameof(Message));
            return Partial("_PublishPanel", this);
        }

        return Page();
    }

    private async Task LoadAsync()
    {
        Plan = await Publishing.PlanAsync(db);
        Snapshots = await db.Snapshots.AsNoTracking()
            .OrderByDescending(s => s.Id)
            .Select(s => new SnapshotRow(s.Id, s.PublishedAt, s.PublishedByName, s.Note, s.Entries.Count))
            .ToListAsync();
    }

    public sealed record SnapshotRow(int Id, DateTime PublishedAt, string PublishedBy, string Note, int Documents);
}
