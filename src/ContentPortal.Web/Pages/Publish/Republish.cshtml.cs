using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Publishing;
using ContentPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContentPortal.Web.Pages.Publish;

/// <summary>Roll back: what republishing an earlier snapshot would change, and the button. Publishers only (folder convention).</summary>
public class RepublishModel(PortalDbContext db, Publisher publisher) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public int Id { get; set; }

    public SnapshotPlan? Plan { get; private set; }

    [BindProperty]
    public string? Note { get; set; }

    /// <summary>The changes the publisher was shown (<see cref="SnapshotPlan.Fingerprint"/>).</summary>
    [BindProperty]
    [System.ComponentModel.DataAnnotations.StringLength(64)]
    public string? ShownPlan { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync()
    {
        Snapshot? snapshot = null;
        if (await this.TryAsync(async () => snapshot = await publisher.RepublishAsync(Id, User.ToActor(), Note, ShownPlan)))
        {
            Message = $"Published snapshot {snapshot!.Id} with the content of snapshot {Id}. The feed now serves it.";
            return RedirectToPage("/Publish/Index");
        }

        db.ChangeTracker.Clear();
        return await LoadAsync() ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync()
    {
        try
        {
            Plan = await publisher.RepublishPlanAsync(Id);
        }
        catch (RefusedException refused)
        {
            ModelState.AddModelError(string.Empty, refused.Message);
            return true;
        }

        return Plan is not null;
    }
}
