using ContentPortal.Domain;
using ContentPortal.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Guest;

/// <summary>
/// The "Review links" section of a version (on the review screen and the document page): its links with their
/// state, Revoke, and a form to make a new one. Loads its own rows, so a page includes it with one line.
/// </summary>
public sealed class ReviewLinksViewComponent(PortalDbContext db, TimeProvider clock) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid versionId, ReviewLinksForm? form = null)
    {
        var version = await db.Versions.AsNoTracking()
            .Where(v => v.Id == versionId)
            .Select(v => new { v.Id, v.Number, v.Status })
            .FirstAsync();
        var links = await db.ReviewLinks.AsNoTracking().Where(l => l.VersionId == versionId).ToListAsync();
        return View("/Pages/Guest/_ReviewLinks.cshtml", new ReviewLinksView
        {
            VersionId = version.Id,
            VersionNumber = version.Number,
            CanLink = version.Status != VersionStatus.Draft,
            CanManage = HttpContext.User.IsInRole(Roles.Editor) || HttpContext.User.IsInRole(Roles.Reviewer),
            Links = links.OrderByDescending(l => l.CreatedAt).ToList(),
            Now = clock.GetUtcNow().UtcDateTime,
            ReturnUrl = Request.Path + Request.QueryString,
            Form = form ?? new ReviewLinksForm(),
        });
    }
}

/// <summary>What the _ReviewLinks partial shows.</summary>
public sealed class ReviewLinksView
{
    public required Guid VersionId { get; init; }

    public required int VersionNumber { get; init; }

    /// <summary>False for a draft: it can still change, so it gets no link.</summary>
    public required bool CanLink { get; init; }

    public required bool CanManage { get; init; }

    public required IReadOnlyList<ReviewLink> Links { get; init; }

    public required DateTime Now { get; init; }

    public required string ReturnUrl { get; init; }

    public required ReviewLinksForm Form { get; init; }
}

/// <summary>The new-link form's typed values and messages (shown again after a refusal).</summary>
public sealed class ReviewLinksForm
{
    public string? GuestName { get; set; }

    public int? Days { get; set; } = ReviewLink.DefaultDays;

    public IReadOnlyDictionary<string, string> Errors { get; set; } = new Dictionary<string, string>();

    public string? Error { get; set; }

    /// <summary>The address of a link just made: shown once, never stored.</summary>
    public string? NewLinkUrl { get; set; }

    /// <summary>Whom the link just made is for (the form itself starts empty again).</summary>
    public string? NewLinkGuest { get; set; }
}
