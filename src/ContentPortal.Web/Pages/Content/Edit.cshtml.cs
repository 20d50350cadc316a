using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using ContentPortal.Web.Pages.Comments;
using Htmx;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Content;

/// <summary>
/// The open draft of a document. Every save carries the revision the editor started from, so a save
/// from a stale copy is refused instead of overwriting someone else's work; the typed text comes back.
/// </summary>
[Authorize(Roles = Roles.Editor)]
public class EditModel(PortalDbContext db, TimeProvider clock) : PageModel
{
    public Document Document { get; private set; } = null!;

    public DocumentVersion Draft { get; private set; } = null!;

    [BindProperty]
    public DraftInput Input { get; set; } = new();

    public DateTime? SavedAt { get; private set; }

    /// <summary>Review comments on this document, so the editor can answer what reviewers asked.</summary>
    public ThreadsView Threads { get; private set; } = null!;

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (await LoadAsync(id, track: false) is { } missing)
        {
            return missing;
        }

        Input = DraftInput.From(Draft);
        return Page();
    }

    /// <summary>The document page's Edit button: opens the draft, creating it from the latest version if needed.</summary>
    public async Task<IActionResult> OnPostOpenAsync(Guid id)
    {
        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == id);
        if (document is null)
        {
            return NotFound();
        }

        try
        {
            var actor = User.ToActor();
            var draft = document.OpenDraft(actor, Now, out var created);
            if (created)
            {
                db.Record(AuditRecord.By(actor, Now, "version.draft-opened", $"version:{draft.Id}", $"Opened draft version {draft.Number} of \"{draft.Title}\" from version {draft.Number - 1}"));
                await db.SaveChangesAsync();
            }
        }
        catch (RefusedException refused)
        {
            Message = refused.Message;
            return RedirectToPage("/Content/Details", new { id });
        }
        catch (DbUpdateException)
        {
            // Someone opened the same draft at the same moment: theirs is the one, so open it.
        }

        return RedirectToPage("/Content/Edit", new { id });
    }

    public async Task<IActionResult> OnPostSaveAsync(Guid id)
    {
        if (await LoadAsync(id, track: true) is { } missing)
        {
            return missing;
        }

        if (await TrySaveAsync(submit: false))
        {
            ModelState.Clear();
            Input.Revision = Draft.Revision;
            SavedAt = Draft.UpdatedAt;
        }

        return Form();
    }

    public async Task<IActionResult> OnPostSubmitAsync(Guid id)
    {
        if (await LoadAsync(id, track: true) is { } missing)
        {
            return missing;
        }

        if (!await TrySaveAsync(submit: true))
        {
            return Form();
        }

        Message = $"Version {Draft.Number} was submitted for review.";
        var next = Url.Page("/Content/Details", new { id })!;
        if (Request.IsHtmx())
        {
            Response.Htmx(h => h.Redirect(next));
            return new EmptyResult();
        }

        return Redirect(next);
    }

    /// <summary>Adds an empty red-flag row to the form; nothing is saved until Save draft.</summary>
    public async Task<IActionResult> OnPostAddFlagAsync(Guid id)
    {
        if (await LoadAsync(id, track: false) is { } missing)
        {
            return missing;
        }

        Input.Flags.Add(new FlagInput { Urgency = "urgent" });
        return Form();
    }

    public async Task<IActionResult> OnPostRemoveFlagAsync(Guid id, int removeAt)
    {
        if (await LoadAsync(id, track: false) is { } missing)
        {
            return missing;
        }

        if (removeAt >= 0 && removeAt < Input.Flags.Count)
        {
            Input.Flags.RemoveAt(removeAt);
            ModelState.Clear(); // rows shifted: render from Input, not from the posted indexes.
        }

        return Form();
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private IActionResult Form() => Request.IsHtmx() ? Partial("_EditForm", this) : Page();

    private async Task<IActionResult?> LoadAsync(Guid id, bool track)
    {
        var query = track ? db.Documents : db.Documents.AsNoTracking();
        var document = await query.FirstOrDefaultAsync(d => d.Id == id);
        if (document is null)
        {
            return NotFound();
        }

        Document = document;
        if (document.OpenVersion is not { Status: VersionStatus.Draft } draft)
        {
            Message = document.OpenVersion is { } open
                ? $"Version {open.Number} is in review, so there is no draft to edit."
                : "There is no open draft. Use Edit to start one from the latest version.";
            var details = Url.Page("/Content/Details", new { id })!;
            if (Request.IsHtmx())
            {
                Response.Htmx(h => h.Redirect(details));
                return new EmptyResult();
            }

            return Redirect(details);
        }

        Draft = draft;
        Threads = await ThreadsView.LoadAsync(db, document, draft, Url.Page("/Content/Edit", new { id })!);
        return null;
    }

    /// <summary>Applies the form to the draft (and submits it) in one save; on any refusal nothing is stored.</summary>
    private async Task<bool> TrySaveAsync(bool submit)
    {
        if (!ModelState.IsValid)
        {
            return false;
        }

        try
        {
            var actor = User.ToActor();
            var before = Draft.CurrentContent();
            var content = Input.ToContent();
            Draft.Edit(content, Input.ChangeNote, Input.Revision, actor, Now);
            db.Record(AuditRecord.By(actor, Now, "version.saved", $"version:{Draft.Id}", $"Saved draft version {Draft.Number}: {content.DescribeChangesFrom(before)}"));
            if (submit)
            {
                Draft.Submit(Input.ChangeNote, actor, Now);
                db.Record(AuditRecord.By(actor, Now, "version.submitted", $"version:{Draft.Id}", $"Draft → In review, version {Draft.Number}, content {Draft.ContentHash}: {Draft.ChangeNote}"));
            }

            await db.SaveChangesAsync();
            return true;
        }
        catch (InvalidContentException invalid)
        {
            ModelState.AddFieldErrors(invalid, nameof(Input));
        }
        catch (StaleDraftException stale)
        {
            ModelState.AddModelError(string.Empty, stale.Message);
        }
        catch (DbUpdateConcurrencyException)
        {
            ModelState.AddModelError(string.Empty, new StaleDraftException(Input.Revision, -1).Message);
        }
        catch (RefusedException refused)
        {
            ModelState.AddModelError(string.Empty, refused.Message);
        }

        return false;
    }

    public sealed class DraftInput
    {
        public string? Title { get; set; }

        public string? Summary { get; set; }

        public string? Body { get; set; }

        public string? ChangeNote { get; set; }

        public int Revision { get; set; }

        public List<FlagInput> Flags { get; set; } = [];

        public static DraftInput From(DocumentVersion draft) => new()
        {
            Title = draft.Title,
            Summary = draft.Summary,
            Body = draft.BodyMarkdown,
            ChangeNote = draft.ChangeNote,
            Revision = draft.Revision,
            Flags = draft.Flags.OrderBy(f => f.Position)
                .Select(f => new FlagInput { Symptom = f.Symptom, Advice = f.Advice, Urgency = f.Urgency.ToString().ToLowerInvariant() })
                .ToList(),
        };

        // Every row is kept, even an empty one, so a field error points at the row the editor sees.
        public VersionContent ToContent() => new(
            Title ?? "",
            Summary ?? "",
            Body ?? "",
            Flags.Select(f => new RedFlagInput(f.Symptom ?? "", f.Advice ?? "", f.Urgency ?? "")).ToList());
    }

    public sealed class FlagInput
    {
        public string? Symptom { get; set; }

        public string? Advice { get; set; }

        public string? Urgency { get; set; }
    }
}
