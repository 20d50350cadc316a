using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Guest;

/// <summary>Make and revoke review links (editors and reviewers). Answers with the version's links section, and a new link's address once.</summary>
[Authorize(Roles = Roles.Editor + "," + Roles.Reviewer)]
public class LinksModel(PortalDbContext db, TimeProvider clock) : PageModel
{
    public DocumentVersion Version { get; private set; } = null!;

    public ReviewLinksForm Form { get; } = new();

    public string? Message { get; private set; }

    [BindProperty]
    public Guid VersionId { get; set; }

    [BindProperty]
    public Guid LinkId { get; set; }

    [BindProperty]
    public string? GuestName { get; set; }

    [BindProperty]
    public string? Days { get; set; }

    [BindProperty]
    public string? ReturnUrl { get; set; }

    public string BackUrl => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : Url.Page("/Content/Details", new { id = Version.DocumentId })!;

    public IActionResult OnGet() => RedirectToPage("/Index");

    public async Task<IActionResult> OnPostCreateAsync()
    {
        if (await db.Versions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == VersionId) is not { } version)
        {
            return NotFound();
        }

        Version = version;
        Form.GuestName = GuestName;
        // Typed text comes back as typed; a number that is not one is refused by the field.
        int? days = string.IsNullOrWhiteSpace(Days) ? null : int.TryParse(Days, out var parsed) ? parsed : 0;
        Form.Days = days;
        try
        {
            var (link, token) = ReviewLink.Create(version, GuestName, days, User.ToActor(), clock.GetUtcNow().UtcDateTime);
            db.ReviewLinks.Add(link);
            await db.SaveChangesAsync();
            Form.NewLinkUrl = $"{Request.Scheme}://{Request.Host}/Guest/{token}";
            Form.NewLinkGuest = link.GuestName;
            Form.GuestName = null;
            Form.Days = ReviewLink.DefaultDays;
        }
        catch (InvalidContentException invalid)
        {
            Form.Errors = invalid.Errors;
        }
        catch (RefusedException refused)
        {
            Form.Error = refused.Message;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync()
    {
        if (await db.ReviewLinks.FirstOrDefaultAsync(l => l.Id == LinkId) is not { } link)
        {
            return NotFound();
        }

        Version = await db.Versions.AsNoTracking().FirstAsync(v => v.Id == link.VersionId);
        if (await this.TryAsync(async () =>
        {
            link.Revoke(User.ToActor(), clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
        }))
        {
            Message = $"The link for {link.GuestName} was revoked: it no longer opens.";
        }
        else
        {
            Form.Error = ModelState.Messages();
        }

        return Page();
    }
}
