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
public class VersionModel(PortalDbContext db, TimeProvider clock, UserManager<PortalUser> users, SignInManager<PortalUser> signIn, IOptions<WorkflowOptions> workflow, IOptions<ContentOptions> content) : PageModel
{
    public DocumentVersion Version { get; private set; } = null!;

    public Document Document { get; private set; } = null!;

    public ThreadsView Threads { get; private set; } = null!;

    /// <summary>The version the feed serves now, if any, and what this version changes against it.</summary>
    public DocumentVersion? Published { get; private set; }

    public ComparisonView? Changes { get; private set; }

    public bool YouEditedIt { get; private set; }

    public bool ClaimedByMe { get; private set; }

    /// <summary>Someone's claim that has not lapsed (a lapsed one blocks nobody and is shown as unclaimed).</summary>
    public bool Claimed => Version.IsClaimedAt(now);

    /// <summary>
    /// This is the published version, approved and still what the next publish serves: the page offers its
    /// periodic review ("Keep as it is") instead of an approval (issue 27).
    /// </summary>
    public bool PeriodicReview => Document.PeriodicReviewVersion?.Id == Version.Id;

    /// <summary>A signature can be made here: an approval of a version in review, or a periodic review of the published one.</summary>
    private bool Signable => Version.Status == VersionStatus.InReview || PeriodicReview;

    /// <summary>Show the signing form (after Approve) instead of the decision buttons.</summary>
    public bool Signing { get; private set; }

    public int RequiredApprovals => Policy.RequiredApprovals;

    [BindProperty]
    public string? Comment { get; set; }

    /// <summary>The revision the reviewer read; a decision on anything else is refused.</summary>
    [BindProperty]
    public int Revision { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    /// <summary>"Withdraw" at a periodic review: the local date and time typed (datetime-local) and the browser's offset, as on Publish.</summary>
    [BindProperty]
    public string? WithdrawOn { get; set; }

    [BindProperty]
    public int? TimezoneOffset { get; set; }

    [BindProperty]
    public string? WithdrawReason { get; set; }

    /// <summary>"Revise" at a periodic review: what should change, for the editors (it starts a comment thread on the new draft).</summary>
    [BindProperty]
    public string? ReviseNote { get; set; }

    [BindProperty]
    public ReviewKind Kind { get; set; } = ReviewKind.Full;

    [BindProperty]
    public string? SignatureNote { get; set; }

    /// <summary>The content hash the signing form showed; a signature is refused for any other content.</summary>
    [BindProperty]
    public string? ShownContentHash { get; set; }

    /// <summary>Why this version should be approved although its reading age is above the target.</summary>
    [BindProperty]
    public string? ReadabilityReason { get; set; }

    /// <summary>One row per reference of the version: re-checked, or why not (a full review needs every row).</summary>
    [BindProperty]
    public List<EvidenceRow> Evidence { get; set; } = [];

    /// <summary>Reading age against Content:ReadingAgeTarget, and the plain-English advice.</summary>
    public QualityView Quality { get; private set; } = null!;

    /// <summary>Each reference with its last check (on this or an earlier version).</summary>
    public IReadOnlyList<ReferenceCheck> Register { get; private set; } = [];

    public sealed class EvidenceRow
    {
        public int Position { get; set; }

        public bool Rechecked { get; set; }

        public string? Reason { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(Guid id, bool sign = false)
    {
        if (await LoadAsync(id, track: false) is null)
        {
            return NotFound();
        }

        Revision = Version.Revision;
        Signing = sign && Signable;
        Evidence = BlankEvidence();
        return Page();
    }

    /// <summary>The htmx form of "Approve": swaps in the signing form.</summary>
    public async Task<IActionResult> OnGetSignStepAsync(Guid id)
    {
        if (await LoadAsync(id, track: false) is null)
        {
            return NotFound();
        }

        Revision = Version.Revision;
        Signing = Signable;
        Evidence = BlankEvidence();
        return Decision();
    }

    public Task<IActionResult> OnPostApproveAsync(Guid id) => SignAsync(id, periodic: false);

    /// <summary>"Keep as it is": the periodic-review signature on the published version, through the same signing form.</summary>
    public Task<IActionResult> OnPostKeepAsync(Guid id) => SignAsync(id, periodic: true);

    private async Task<IActionResult> SignAsync(Guid id, bool periodic)
    {
        if (await LoadAsync(id, track: true) is null)
        {
            return NotFound();
        }

        // The handler says which signature this is; a kind posted to the other handler is not believed.
        Kind = periodic ? ReviewKind.Periodic : Kind == ReviewKind.Periodic ? ReviewKind.Full : Kind;
        var signable = periodic ? PeriodicReview : Version.Status == VersionStatus.InReview;

        Signing = true;
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Forbid();
        }

        // Re-authenticate only for a version that can be signed: anything else is refused by the
        // workflow below without spending one of the reviewer's password attempts.
        if (signable && (ShownContentHash is null || ShownContentHash != Version.ContentHash))
        {
            ModelState.AddModelError(string.Empty, "This is not the content you were shown (its content hash differs), so nothing was signed. Read the version again, then sign.");
            Password = null;
            return Decision();
        }

        if (signable && await users.IsLockedOutAsync(user))
        {
            return await SignOutLockedAsync();
        }

        if (signable && (string.IsNullOrEmpty(Password) || !await users.CheckPasswordAsync(user, Password)))
        {
            // A wrong password at signing counts toward lockout like a failed login (§11.300(d)).
            await users.AccessFailedAsync(user);
            db.Record(AuditRecord.By(User.ToActor(), now, AuditActions.SignatureRefused, Version.Subject, $"Wrong password when signing version {Version.Number}; nothing was signed."));
            await db.SaveChangesAsync();
            if (await users.IsLockedOutAsync(user))
            {
                return await SignOutLockedAsync();
            }

            ModelState.AddModelError(nameof(Password), string.IsNullOrEmpty(Password)
                ? "Enter your password to sign."
                : "That password is not right. Nothing was signed.");
            Password = null;
            return Decision();
        }

        await users.ResetAccessFailedCountAsync(user);
        // Only a signable version got this far with its password checked; anything else the domain refuses first.
        var authors = Version.Authors.Select(a => a.UserId).ToList();
        var request = new SignRequest(User.ToActor() with { Sponsors = user.Sponsors() }, Revision, Kind, now)
        {
            Policy = Policy,
            Administrations = await db.AdministrationsBetweenAsync(user.Id, authors),
            PasswordSetByAdministrator = user.MustChangePassword,
            PasswordVerified = signable,
            Comment = SignatureNote,
            Answers = new SigningAnswers(ReadabilityReason, Evidence.Select(e => new EvidenceAnswer(e.Position, e.Rechecked, e.Reason)).ToList()),
        };
        Password = null;
        if (periodic)
        {
            return await DecideAsync(Version, version => Document.Sign(version, request)
                ? $"{Version.Title}, version {Version.Number}, was kept as it is: its review period starts again today (review due {Version.ReviewDue:d MMMM yyyy}). The next publish carries the new dates and signatures."
                : $"You signed the periodic review of {Version.Title}, version {Version.Number}. It needs {RequiredApprovals - Version.PeriodicRound().Count} more signature(s) before it is kept.",
                Url.Page("/Content/Details", new { id = Version.DocumentId })!);
        }

        return await DecideAsync(Version, version => Document.Sign(version, request)
            ? $"{Version.Title}, version {Version.Number}, was signed and approved."
            : $"You signed {Version.Title}, version {Version.Number}. It needs {RequiredApprovals - Version.Approvals.Count} more signature(s) before it is approved.");
    }

    /// <summary>
    /// Locked out at the signing step: the session ends too (§11.300(d)), so whoever is guessing at this
    /// screen cannot go on working as the reviewer. The login page says why.
    /// </summary>
    private async Task<IActionResult> SignOutLockedAsync()
    {
        var actor = User.ToActor();
        db.Record(AuditRecord.By(actor, now, AuditActions.Logout, $"user:{actor.UserId}", $"Signed out: locked after too many wrong passwords when signing version {Version.Number}; nothing was signed."));
        await db.SaveChangesAsync();
        await signIn.SignOutAsync();
        return this.RedirectEither("/Account/Login?locked=true");
    }

    public async Task<IActionResult> OnPostRequestChangesAsync(Guid id) => await DecideAsync(await LoadAsync(id, track: true), version =>
    {
        var actor = User.ToActor();
        Document.RequestChanges(version, Revision, actor, now, Comment);
        // The comment opens a thread, so the editor can answer it where they work.
        db.ReviewThreads.Add(ReviewThread.Start(version, null, null, Comment, actor, now));
        return $"{version.Title}, version {version.Number}, was sent back to the editors with your comment.";
    });

    /// <summary>"Revise" at a periodic review: opens the next draft from the published version, with the note as a comment thread.</summary>
    public async Task<IActionResult> OnPostReviseAsync(Guid id) => await DecideAsync(await LoadAsync(id, track: true), published =>
    {
        var actor = User.ToActor();
        var draft = Document.Revise(published, ReviseNote, actor, now);
        db.ReviewThreads.Add(ReviewThread.Start(draft, null, null, ReviseNote, actor, now));
        return $"Draft version {draft.Number} of {draft.Title} was opened for the editors with your note. The document stays due for review until a new version is approved.";
    }, Url.Page("/Content/Details", new { id = Version?.DocumentId }));

    /// <summary>
    /// "Withdraw" at a periodic review: proposes a withdrawal on a date, with the reason. It runs only once a
    /// publisher confirms it on the document's page (publishing is the publisher's duty, as after an approval).
    /// </summary>
    public async Task<IActionResult> OnPostProposeWithdrawalAsync(Guid id)
    {
        var version = await LoadAsync(id, track: true);
        var open = version is null ? null
            : await db.Withdrawals.FirstOrDefaultAsync(w => w.DocumentId == version.DocumentId && (w.Status == WithdrawalStatus.Pending || w.Status == WithdrawalStatus.Proposed));
        return await DecideAsync(version, published =>
        {
            DateTime? dueAt = Publish.LocalTimeInput.TryReadUtc(WithdrawOn, TimezoneOffset, out var utc) ? utc : null;
            try
            {
                db.Withdrawals.Add(Withdrawal.Propose(Document, published, open, User.ToActor(), now, dueAt, WithdrawReason));
            }
            catch (InvalidContentException invalid)
            {
                // The domain names the field Reason; here it sits beside the other decisions' fields.
                throw new InvalidContentException(invalid.Errors.ToDictionary(e => e.Key == "Reason" ? nameof(WithdrawReason) : e.Key, e => e.Value));
            }

            return $"You proposed withdrawing {published.Title} on {dueAt:yyyy-MM-dd HH:mm} UTC. A publisher confirms it on the document's page; until then it stays published.";
        }, Url.Page("/Content/Details", new { id = Version?.DocumentId }));
    }

    public async Task<IActionResult> OnPostClaimAsync(Guid id) => await ClaimAsync(id, claim: true);

    public async Task<IActionResult> OnPostReleaseAsync(Guid id) => await ClaimAsync(id, claim: false);

    private async Task<IActionResult> ClaimAsync(Guid id, bool claim) => await this.ActAsync(await LoadAsync(id, track: true), async version =>
    {
        if (claim)
        {
            Document.ClaimForReview(version, User.ToActor(), now, workflow.Value.ClaimLifetime);
        }
        else
        {
            Document.ReleaseClaim(version, User.ToActor(), now);
        }

        await db.SaveChangesAsync();
        return Request.IsHtmx() ? ClaimAnswer() : RedirectToPage(new { id });
    }, _ => Task.FromResult(ClaimAnswer()), stale: "Someone else changed this version a moment ago. Reload the page to see where it stands.");

    /// <summary>The decision panel after a claim or release, carrying the revision it now shows.</summary>
    private IActionResult ClaimAnswer()
    {
        ClaimedByMe = Version.ClaimedById == User.ToActor().UserId && Version.IsClaimedAt(now);
        Revision = Version.Revision;
        ModelState.Remove(nameof(Revision));
        return Decision();
    }

    private readonly DateTime now = clock.GetUtcNow().UtcDateTime;

    private SignOffPolicy Policy => new(workflow.Value.RequiredApprovals) { ReadingAgeTarget = content.Value.ReadingAgeTarget };

    /// <summary>The evidence rows a fresh signing form starts with: nothing ticked, nothing typed.</summary>
    private List<EvidenceRow> BlankEvidence() =>
        Version.References.OrderBy(r => r.Position).Select(r => new EvidenceRow { Position = r.Position }).ToList();

    /// <summary>A decision (sign, request changes): refused → shown here; done → back to the queue (or <paramref name="then"/>) with the message.</summary>
    private Task<IActionResult> DecideAsync(DocumentVersion? version, Func<DocumentVersion, string> decide, string? then = null) => this.ActAsync(version, async loaded =>
    {
        var done = decide(loaded);
        await db.SaveChangesAsync();
        TempData["Message"] = done;
        return this.RedirectEither(then ?? Url.Page("/Review/Index")!);
    }, _ => Task.FromResult(Decision()), stale: "Another reviewer decided on this version a moment ago. Reload the page to see where it stands.");

    private IActionResult Decision()
    {
        if (Evidence.Count == 0)
        {
            Evidence = BlankEvidence();
        }

        return Request.IsHtmx() ? Partial("_Decision", this) : Page();
    }

    /// <summary>The posted row for a reference (typed reasons come back intact), or a blank one.</summary>
    public EvidenceRow RowFor(ArticleReference reference) =>
        Evidence.FirstOrDefault(e => e.Position == reference.Position) ?? new EvidenceRow { Position = reference.Position };

    /// <summary>The version and its document (tracked for a change), and what the page shows of them; null when there is no such version.</summary>
    private async Task<DocumentVersion?> LoadAsync(Guid id, bool track)
    {
        var query = track ? db.Versions : db.Versions.AsNoTracking();
        var version = await query.FirstOrDefaultAsync(v => v.Id == id);
        if (version is null)
        {
            return null;
        }

        var documents = track ? db.Documents : db.Documents.AsNoTracking();
        Document = await documents.FirstAsync(d => d.Id == version.DocumentId);
        // With tracking, the document's Versions already hold the same instance; without it, use the document's copy.
        Version = Document.Versions.First(v => v.Id == id);
        var me = User.ToActor().UserId;
        YouEditedIt = Version.IsAuthoredBy(me);
        ClaimedByMe = Version.ClaimedById == me && Version.IsClaimedAt(now);
        Threads = await ThreadsView.LoadAsync(db, Document, Version, Request.Path + Request.QueryString);
        Published = Document.Pick(VersionOption.Published);
        Changes = ComparisonView.AgainstPublished(Document.Kind, Published, Version, Request.Query["view"]);
        Quality = QualityView.Of(Document.Kind, Version.CurrentContent(), content.Value.ReadingAgeTarget, content.Value.JargonList);
        Register = Document.EvidenceOf(Version);

        return Version;
    }
}
