using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Review;

/// <summary>
/// One version in review, rendered as readers will see it. Approve and Request changes go through
/// the domain, which refuses the four-eyes breach and anything not in review.
/// </summary>
public class VersionModel(PortalDbContext db, TimeProvider clock) : PageModel
{
    public DocumentVersion Version { get; private set; } = null!;

    public bool YouEditedIt { get; private set; }

    [BindProperty]
    public string? Comment { get; set; }

    /// <summary>The revision the reviewer read; a decision on anything else is refused.</summary>
    [BindProperty]
    public int Revision { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (!await LoadAsync(id, track: false))
        {
            return NotFound();
        }

        Revision = Version.Revision;
        return Page();
    }

    public Task<IActionResult> OnPostApproveAsync(Guid id) =>
        DecideAsync(id, (version, actor, at) => version.Approve(actor, at, Comment), "approved");

    public Task<IActionResult> OnPostRequestChangesAsync(Guid id) =>
        DecideAsync(id, (version, actor, at) => version.RequestChanges(actor, at, Comment), "sent back to the editors with your comment");

    private async Task<IActionResult> DecideAsync(Guid id, Action<DocumentVersion, Actor, DateTime> decide, string done)
    {
        if (!await LoadAsync(id, track: true))
        {
            return NotFound();
        }

        try
        {
            if (Revision != Version.Revision)
            {
                throw new RefusedException("This version changed status while you were reading it. Reload the page to see where it stands.");
            }

            decide(Version, User.ToActor(), clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
        }
        catch (InvalidContentException invalid)
        {
            ModelState.AddFieldErrors(invalid, "");
            return Decision();
        }
        catch (RefusedException refused)
        {
            ModelState.AddModelError(string.Empty, refused.Message);
            return Decision();
        }
        catch (DbUpdateConcurrencyException)
        {
            ModelState.AddModelError(string.Empty, "Another reviewer decided on this version a moment ago. Reload the page to see where it stands.");
            return Decision();
        }

        TempData["Message"] = $"{Version.Title}, version {Version.Number}, was {done}.";
        var queue = Url.Page("/Review/Index")!;
        if (Request.IsHtmx())
        {
            Response.Htmx(h => h.Redirect(queue));
            return new EmptyResult();
        }

        return Redirect(queue);
    }

    private IActionResult Decision() => Request.IsHtmx() ? Partial("_Decision", this) : Page();

    private async Task<bool> LoadAsync(Guid id, bool track)
    {
        var query = track ? db.Versions : db.Versions.AsNoTracking();
        var version = await query.FirstOrDefaultAsync(v => v.Id == id);
        if (version is null)
        {
            return false;
        }

        Version = version;
        YouEditedIt = version.IsAuthoredBy(User.ToActor().UserId);
        return true;
    }
}
