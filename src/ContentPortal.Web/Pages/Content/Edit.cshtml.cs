using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using Htmx;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ContentPortal.Web.Pages.Content;

/// <summary>
/// The open draft of a document. Every save carries the revision the editor started from, so a save
/// from a stale copy is refused (409) and the conflict screen shows their text beside the editor's own;
/// the typed text is never dropped. Autosave, preview and presence are htmx fragments of this page;
/// the red-flag rows are the Flags page's, and opening, restoring and slugs the document page's.
/// </summary>
[Authorize(Roles = Roles.Editor)]
public class EditModel(PortalDbContext db, TimeProvider clock, DraftPresence presence, IOptions<ContentOptions> contentOptions) : PageModel
{
    private readonly DateTime now = clock.GetUtcNow().UtcDateTime;

    [BindProperty]
    public DraftInput Input { get; set; } = new();

    public DraftEditor Editor { get; private set; } = null!;

    public IReadOnlyList<DraftPresence.Visit> OthersHere { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (await LoadAsync(id, posted: false, track: false) is { } instead)
        {
            return instead;
        }

        Editor.Message = Message;
        return Page();
    }

    /// <summary>Save draft (and Keep mine on the conflict screen, which posts the revision it showed).</summary>
    public async Task<IActionResult> OnPostSaveAsync(Guid id)
    {
        if (await LoadAsync(id, posted: true, track: true) is { } instead)
        {
            return instead;
        }

        if (Input.AcceptSuggestions)
        {
            Input.TakeSuggestions();
        }

        if (await TrySaveAsync(submit: false))
        {
            ModelState.Clear();
            Input.Revision = Editor.Draft.Revision;
            Editor.SavedAt = Editor.Draft.UpdatedAt;
        }
        else if (Editor.Conflict is null)
        {
            // The status line must not claim the typed text is saved when it was refused.
            Editor.NotSavedReason = DraftEditor.Describe(ModelState);
        }

        return Editor.Answer(this);
    }

    /// <summary>
    /// The debounced background save. Success or a field problem only updates the status line (the
    /// editor keeps typing undisturbed); a stale copy swaps in the conflict screen.
    /// </summary>
    public async Task<IActionResult> OnPostAutosaveAsync(Guid id)
    {
        if (await LoadAsync(id, posted: true, track: true) is { } instead)
        {
            return instead;
        }

        if (await TrySaveAsync(submit: false))
        {
            Editor.SavedAt = Editor.Draft.UpdatedAt;
            Input.Revision = Editor.Draft.Revision;
            return Partial("_AutosaveResult", Editor);
        }

        if (Editor.Conflict is not null)
        {
            Response.Htmx(h => h.Retarget("#draft-form").Reswap("outerHTML"));
            return Editor.Answer(this);
        }

        Editor.NotSavedReason = DraftEditor.Describe(ModelState);
        return Partial("_AutosaveResult", Editor);
    }

    public async Task<IActionResult> OnPostSubmitAsync(Guid id)
    {
        if (await LoadAsync(id, posted: true, track: true) is { } instead)
        {
            return instead;
        }

        if (!await TrySaveAsync(submit: true))
        {
            return Editor.Answer(this);
        }

        Message = $"Version {Editor.Draft.Number} was submitted for review.";
        return this.RedirectEither(Url.Page("/Content/Details", new { id })!);
    }

    /// <summary>Conflict screen: put their text of one field into the editor's copy (a step of a merge). Nothing is saved yet.</summary>
    public async Task<IActionResult> OnPostTakeTheirsAsync(Guid id, string field)
    {
        if (await LoadAsync(id, posted: true, track: false) is { } instead)
        {
            return instead;
        }

        try
        {
            var merged = DraftConflict.TakeField(Input.ToContent(), Editor.Draft.CurrentContent(), field);
            Input = Editor.Input = DraftInput.FromContent(merged, field == "ChangeNote" ? Editor.Draft.ChangeNote : Input.ChangeNote, Input.Revision);
        }
        catch (RefusedException refused)
        {
            ModelState.AddModelError(string.Empty, refused.Message);
        }

        ModelState.Clear();
        Editor.ShowConflict(Input.Revision, ModelState);
        Editor.Unsaved = true;
        return Editor.Answer(this);
    }

    /// <summary>Puts text this browser kept (typed before a session expired or a tab closed) back into the form.</summary>
    public async Task<IActionResult> OnPostRecoverAsync(Guid id)
    {
        if (await LoadAsync(id, posted: true, track: false) is { } instead)
        {
            return instead;
        }

        ModelState.Clear();
        if (DraftConflict.IsStale(Input.Revision, Editor.Draft.Revision))
        {
            Editor.ShowConflict(Input.Revision, ModelState);
        }

        Editor.Unsaved = true;
        return Editor.Answer(this);
    }

    /// <summary>The live preview: the same Markdown pipeline as the feed, over the text as typed, with its reading age and plain-English advice. Stores nothing.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(Guid id)
    {
        if (await LoadAsync(id, posted: true, track: false) is { } instead)
        {
            return instead;
        }

        return Partial("_LivePreview", LivePreview.Of(Editor.Document.Kind, Input.ToContent(), contentOptions.Value));
    }

    /// <summary>The Health aspects field for the typed body (its sections change as headings are typed); nothing is saved.</summary>
    public async Task<IActionResult> OnPostAspectsAsync(Guid id)
    {
        if (await LoadAsync(id, posted: true, track: false) is { } instead)
        {
            return instead;
        }

        return Partial("_Aspects", Editor);
    }

    /// <summary>Heartbeat of an open editor; answers with who else has the draft open.</summary>
    public async Task<IActionResult> OnPostPresenceAsync(Guid id)
    {
        if (!await db.Documents.AnyAsync(d => d.Id == id))
        {
            return NotFound();
        }

        var actor = User.ToActor();
        OthersHere = await presence.BeatAsync(id, actor.UserId, actor.DisplayName, HttpContext.RequestAborted);
        return Partial("_Presence", this);
    }

    private async Task<IActionResult?> LoadAsync(Guid id, bool posted, bool track)
    {
        var (editor, instead) = await DraftEditor.LoadAsync(this, db, id, posted ? Input : null, track);
        if (editor is not null)
        {
            Editor = editor;
            Input = editor.Input;
        }

        return instead;
    }

    /// <summary>Applies the form to the draft (and submits it) in one save; on any refusal nothing is stored.</summary>
    private async Task<bool> TrySaveAsync(bool submit)
    {
        if (!ModelState.IsValid)
        {
            return false;
        }

        var draft = Editor.Draft;
        var basedOn = Input.Revision;
        return await this.TryAsync(async () =>
        {
            var actor = User.ToActor();
            var content = Input.ToContent();
            if (DraftConflict.Check(draft, basedOn, content, Input.ChangeNote) is { TextsAgree: true } same)
            {
                // Stale, but their saved text already equals this one everywhere: saving overwrites nothing of theirs.
                basedOn = same.CurrentRevision;
            }

            Editor.Document.Edit(draft, content, Input.ChangeNote, basedOn, actor, now);
            if (submit)
            {
                Editor.Document.Submit(draft, Input.ChangeNote, actor, now);
            }

            await db.SaveChangesAsync();
        }, nameof(Input), showStale: () => ShowConflictAsync(basedOn));
    }

    /// <summary>
    /// Their save came first (the domain saw it, or it won the race to the database): the conflict screen
    /// shows what is stored now beside the typed text, which stays in the form.
    /// </summary>
    private async Task ShowConflictAsync(int basedOn)
    {
        db.ChangeTracker.Clear();
        var typed = Input;
        if (await LoadAsync(Editor.Document.Id, posted: true, track: false) is null)
        {
            Editor.Input = Input = typed;
            Editor.ShowConflict(basedOn, ModelState);
        }
    }
}
