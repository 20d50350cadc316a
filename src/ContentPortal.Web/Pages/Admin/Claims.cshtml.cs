using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Admin;

/// <summary>
/// Review claims that have not lapsed, with Release: for a reviewer who is away or left a claim behind.
/// Admins only (folder convention); the domain records the release as done by an administrator.
/// </summary>
public class ClaimsModel(PortalDbContext db, TimeProvider clock) : PageModel
{
    public IReadOnlyList<Row> Rows { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostReleaseAsync(Guid versionId)
    {
        // The release goes through the version's document, as every change to a version does.
        var documentId = await db.Versions.Where(v => v.Id == versionId).Select(v => (Guid?)v.DocumentId).FirstOrDefaultAsync();
        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == documentId);
        var version = document?.Versions.FirstOrDefault(v => v.Id == versionId);
        if (document is null || version is null)
        {
            ModelState.AddModelError(string.Empty, "That version no longer exists.");
            return await ListAgainAsync();
        }

        return await this.ActAsync(version, async _ =>
        {
            var claimedBy = version.ClaimedByName;
            document.ReleaseClaim(version, User.ToActor(), clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
            Message = $"Released {claimedBy}'s claim on {version.Title}, version {version.Number}. Any reviewer can pick it up now.";
            return this.RedirectEither(Url.Page("/Admin/Claims")!);
        }, _ => ListAgainAsync(), stale: "Someone changed this version a moment ago; look at the list again.");
    }

    /// <summary>The list as stored now, with the refusal above it.</summary>
    private async Task<IActionResult> ListAgainAsync()
    {
        db.ChangeTracker.Clear();
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        Rows = await db.Versions.AsNoTracking()
            .Where(v => v.Status == VersionStatus.InReview && v.ClaimedById != null && (v.ClaimExpiresAt == null || v.ClaimExpiresAt > now))
            .OrderBy(v => v.ClaimedAt)
            .Take(200)
            .Select(v => new Row(v.Id, v.DocumentId, v.Title, v.Number, v.ClaimedByName!, v.ClaimedAt!.Value, v.ClaimExpiresAt))
            .ToListAsync();
    }

    public sealed record Row(Guid VersionId, Guid DocumentId, string Title, int Number, string ClaimedBy, DateTime ClaimedAt, DateTime? Lapses);
}
