using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using ContentPortal.Web.Pages.Comments;
using Htmx;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ContentPortal.Web.Pages.Review;

/// <summary>
/// One version in review, rendered as readers will see it. Approving is an electronic signature: the
/// reviewer re-enters their password (§11.200), sees what the signature means, and the domain binds it
/// to the content hash. The domain refuses four-eyes breaches, double signing and claimed items.
/// </summary>
public class VersionModel(PortalDbContext db, TimeProvider clock, UserManager<PortalUser> users, IOptions<WorkflowOptions> workflow) : PageModel
{
    public DocumentVersion Version { get; private set; } = null!;

    public Document Document { get; private set; } = null!;

    public ThreadsView Threads { get; private set; } = null!;

    /// <summary>The version the feed serves now, if any, and what this version changes against it.</summary>
    public DocumentVersion? Published { get; private set; }

    public ComparisonView? Changes { get; private set; }

    public bool YouEditedIt { get; private set; }

    public bool ClaimedByMe { get; private set; }

    /// <summary>Show the signing form (after Approve) instead of the decision buttons.</summary>
    public bool Signing { get; private set; }

    public int RequiredApprovals => Math.Max(1, workflow.Value.RequiredApprovals);

    [BindProperty]
    public string? Comment { get; set; }

    /// <summary>The revision the reviewer read; a decision on anything else is refused.</summary>
    [BindProperty]
    public int Revision { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public ReviewKind Kind { get; set; } = ReviewKind.Full;

    [BindProperty]
    public string? SignatureNote { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, bool sign = false)
    {
        if (!await LoadAsync(id, track: false))
        {
            return NotFound();
        }

        Revision = Version.Revision;
        Signing = sign && Version.Status == VersionStatus.InReview;
        return Page();
    }

    /// <summary>The htmx form of "Approve": swaps in the signing form.</summary>
    public async Task<IActionResult> OnGetSignStepAsync(Guid id)
    {
        if (!await LoadAsync(id, track: false))
        {
            return NotFound();
        }

        Revision = Version.Revision;
        Signing = Version.Status == VersionStatus.InReview;
        return Decision();
    }

    public async Task<IActionResult> OnPostApproveAsync(Guid id)
    {
        if (!await LoadAsync(id, track: true))
        {
            return NotFound();
        }

        Signing = true;
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Forbid();
        }

        // Re-authenticate only for a version that can be signed: anything else is refused by the
        // workflow below without spending one of the reviewer's password attempts.
        if (Version.Status == VersionStatus.InReview && await users.IsLockedOutAsync(user))
        {
            ModelState.AddModelError(nameof(Password), "Your account is locked after too many wrong passwords. Nothing was signed.");
            return Decision();
        }

        if (Version.Status == VersionStatus.InReview && (string.IsNullOrEmpty(Password) || !await users.CheckPasswordAsync(user, Password)))
        {
            // A wrong password at signing counts toward lockout like a failed login (§11.300(d)).
            await users.AccessFailedAsync(user);
            db.Record(AuditRecord.By(User.ToActor(), Now, "signature.refused", Subject(Version), $"Wrong password when signing version {Version.Number}; nothing was signed."));
            await db.SaveChangesAsync();
            ModelState.AddModelError(nameof(Password), string.IsNullOrEmpty(Password)
                ? "Enter your password to sign."
                : "That password is not right. Nothing was signed.");
            Password = null;
            return Decision();
        }

        await users.ResetAccessFailedCountAsync(user);
        Password = null;
        return await DecideAsync(actor =>
        {
            var approved = Document.Sign(Version, actor, Now, Kind, new SignOffPolicy(RequiredApprovals), SignatureNote);
            var signature = Version.Approvals[^1];
            db.Record(AuditRecord.By(actor, Now, "version.signed", Subject(Version),
                $"Signed version {Version.Number} of \"{Version.Title}\" as {signature.SignerRole} ({signature.Kind} review): \"{signature.Meaning}\" content {signature.ContentHash}"));
            if (approved)
            {
                db.Record(AuditRecord.By(actor, Now, "version.approved", Subject(Version),
                    $"In review → Approved ({Version.Approvals.Count} of {RequiredApprovals} signatures); review due {Version.ReviewDue:yyyy-MM-dd}"));
            }

            return approved
                ? $"{Version.Title}, version {Version.Number}, was signed and approved."
                : $"You signed {Version.Title}, version {Version.Number}. It needs {RequiredApprovals - Version.Approvals.Count} more signature(s) before it is approved.";
        });
    }

    public async Task<IActionResult> OnPostRequestChangesAsync(Guid id)
    {
        if (!await LoadAsync(id, track: true))
        {
            return NotFound();
        }

        return await DecideAsync(actor =>
        {
            Version.RequestChanges(actor, Now, Comment);
            // The comment opens a thread, so the editor can answer it where they work.
            db.ReviewThreads.Add(ReviewThread.Start(Version, null, null, Comment, actor, Now));
            db.Record(AuditRecord.By(actor, Now, "version.changes-requested", Subject(Version), $"In review → Changes requested: {Comment}"));
            return $"{Version.Title}, version {Version.Number}, was sent back to the editors with your comment.";
        });
    }

    public async Task<IActionResult> OnPostClaimAsync(Guid id) => await ClaimAsync(id, claim: true);

    public async Task<IActionResult> OnPostReleaseAsync(Guid id) => await ClaimAsync(id, claim: false);

    private async Task<IActionResult> ClaimAsync(Guid id, bool claim)
    {
        if (!await LoadAsync(id, track: true))
        {
            return NotFound();
        }

        try
        {
            var actor = User.ToActor();
            if (claim)
            {
                Version.ClaimForReview(actor, Now);
            }
            else
            {
                Version.ReleaseClaim(actor);
            }

            db.Record(AuditRecord.By(actor, Now, claim ? "version.claimed" : "version.released", Subject(Version),
                $"{(claim ? "Claimed" : "Released")} version {Version.Number} for review"));
            await db.SaveChangesAsync();
        }
        catch (RefusedException refused)
        {
            ModelState.AddModelError(string.Empty, refused.Message);
        }
        catch (DbUpdateConcurrencyException)
        {
            ModelState.AddModelError(string.Empty, "Someone else changed this version a moment ago. Reload the page to see where it stands.");
        }

        if (!Request.IsHtmx() && ModelState.IsValid)
        {
            return RedirectToPage(new { id });
        }

        ClaimedByMe = Version.ClaimedById == User.ToActor().UserId;
        Revision = Version.Revision;
        ModelState.Remove(nameof(Revision));
        return Decision();
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private static string Subject(DocumentVersion version) => $"version:{version.Id}";

    private async Task<IActionResult> DecideAsync(Func<Actor, string> decide)
    {
        string done;
        try
        {
            if (Revision != Version.Revision)
            {
                throw new RefusedException("This version changed while you were reading it (a claim, a signature or a decision). Reload the page to see where it stands.");
            }

            done = decide(User.ToActor());
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

        TempData["Message"] = done;
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

        var documents = track ? db.Documents : db.Documents.AsNoTracking();
        Document = await documents.FirstAsync(d => d.Id == version.DocumentId);
        // With tracking, the document's Versions already hold the same instance; without it, use the document's copy.
        Version = Document.Versions.First(v => v.Id == id);
        var me = User.ToActor().UserId;
        YouEditedIt = Version.IsAuthoredBy(me);
        ClaimedByMe = Version.ClaimedById == me;
        Threads = await ThreadsView.LoadAsync(db, Document, Version, Request.Path + Request.QueryString);
        Published = await db.PublishedVersionAsync(Document);
        Changes = ComparisonView.AgainstPublished(Document.Kind, Published, Version, Request.Query["view"]);

        return true;
    }
}
