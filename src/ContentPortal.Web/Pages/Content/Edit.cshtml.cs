using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using ContentPortal.Web.Pages.Comments;
using Htmx;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ContentPortal.Web.Pages;

namespace ContentPortal.Web.Pages.Content;

/// <summary>
/// The open draft of a document. Every save carries the revision the editor started from, so a save
/// from a stale copy is refused (409) and the conflict screen shows their text beside the editor's own;
/// the typed text is never dropped. Autosave, preview, red-flag rows and presence are htmx fragments of this page.
/// </summary>
[Authorize(Roles = Roles.Editor)]
public class EditModel(PortalDbContext db, TimeProvider clock, DraftPresence presence) : PageModel
{
    public Document Document { get; private set; } = null!;

    public DocumentVersion Draft { get; private set; } = null!;

    [BindProperty]
    public DraftInput Input { get; set; } = new();

    public DateTime? SavedAt { get; private set; }

    /// <summary>Review comments on this document, so the editor can answer what reviewers asked.</summary>
    public ThreadsView Threads { get; private set; } = null!;

    /// <summary>Set when the posted copy was stale: their text and the editor's, field by field.</summary>
    public DraftConflict? Conflict { get; private set; }

    /// <summary>The form holds changes that are not stored yet (rows added, moved or recovered): autosave picks them up.</summary>
    public bool Unsaved { get; private set; }

    /// <summary>Element id to focus after an htmx swap (the row a button moved, the row added).</summary>
    public string? FocusId { get; private set; }

    /// <summary>Why the last autosave did not store anything, for the status line.</summary>
    public string? NotSavedReason { get; private set; }

    public IReadOnlyList<DraftPresence.Visit> OthersHere { get; private set; } = [];

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

    /// <summary>History's "Restore as new draft": an earlier version's text becomes the draft (the old version is untouched).</summary>
    public async Task<IActionResult> OnPostRestoreAsync(Guid id, int number, int? openDraftRevision)
    {
        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == id);
        if (document is null)
        {
            return NotFound();
        }

        try
        {
            var draft = document.RestoreAsDraft(number, openDraftRevision, User.ToActor(), Now);
            await db.SaveChangesAsync();
            Message = $"The text of version {number} is now draft version {draft.Number}. Check it, then submit it for review.";
            return RedirectToPage("/Content/Edit", new { id });
        }
        catch (StaleDraftException)
        {
            Message = "The open draft was saved after you opened this page, so nothing was restored. Look at it again before restoring.";
        }
        catch (DbUpdateException)
        {
            Message = "Someone changed this document at the same moment, so nothing was restored. Try again.";
        }
        catch (RefusedException refused)
        {
            Message = refused.Message;
        }

        return RedirectToPage("/Content/Details", new { id });
    }

    /// <summary>The document page's slug form: allowed until the document is first published.</summary>
    public async Task<IActionResult> OnPostChangeSlugAsync(Guid id, string? slug)
    {
        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == id);
        if (document is null)
        {
            return NotFound();
        }

        slug = slug?.Trim() ?? "";
        try
        {
            var everPublished = await db.Snapshots.AnyAsync(s => s.Entries.Any(e => e.DocumentId == id));
            if (slug != document.Slug && await db.Documents.AnyAsync(d => d.Slug == slug && d.Id != id))
            {
                throw new InvalidContentException(new Dictionary<string, string> { ["Slug"] = $"The slug \"{slug}\" is already used by another document. Choose another." });
            }

            document.ChangeSlug(slug, everPublished, User.ToActor());
            await db.SaveChangesAsync();
            Message = $"The slug is now \"{slug}\".";
        }
        catch (InvalidContentException invalid)
        {
            TempData["SlugError"] = invalid.Errors.GetValueOrDefault("Slug") ?? invalid.Message;
            TempData["SlugTyped"] = slug;
        }
        catch (DbUpdateException)
        {
            TempData["SlugError"] = $"The slug \"{slug}\" was just taken by another document. Choose another.";
            TempData["SlugTyped"] = slug;
        }
        catch (RefusedException refused)
        {
            Message = refused.Message;
        }

        return RedirectToPage("/Content/Details", new { id });
    }

    /// <summary>Save draft (and Keep mine on the conflict screen, which posts the revision it showed).</summary>
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
        else if (Conflict is null)
        {
            // The status line must not claim the typed text is saved when it was refused.
            NotSavedReason = DescribeErrors();
        }

        return Form();
    }

    /// <summary>
    /// The debounced background save. Success or a field problem only updates the status line (the
    /// editor keeps typing undisturbed); a stale copy swaps in the conflict screen.
    /// </summary>
    public async Task<IActionResult> OnPostAutosaveAsync(Guid id)
    {
        if (await LoadAsync(id, track: true) is { } missing)
        {
            return missing;
        }

        if (await TrySaveAsync(submit: false))
        {
            SavedAt = Draft.UpdatedAt;
            Input.Revision = Draft.Revision;
            return Partial("_AutosaveResult", this);
        }

        if (Conflict is not null)
        {
            Response.Htmx(h => h.Retarget("#draft-form").Reswap("outerHTML"));
            return Form();
        }

        NotSavedReason = DescribeErrors();
        return Partial("_AutosaveResult", this);
    }

    private string DescribeErrors() => string.Join(" ", ModelState.Where(e => e.Value?.Errors.Count > 0)
        .Select(e => (Label(e.Key), e.Value!.Errors.Select(x => x.ErrorMessage)))
        .Select(x => (x.Item1.Length > 0 ? x.Item1 + ": " : "") + string.Join(" ", x.Item2)));

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

    /// <summary>Conflict screen: put their text of one field into the editor's copy (a step of a merge). Nothing is saved yet.</summary>
    public async Task<IActionResult> OnPostTakeTheirsAsync(Guid id, string field)
    {
        if (await LoadAsync(id, track: false) is { } missing)
        {
            return missing;
        }

        try
        {
            var merged = DraftConflict.TakeField(Input.ToContent(), Draft.CurrentContent(), field);
            Input = DraftInput.FromContent(merged, field == "ChangeNote" ? Draft.ChangeNote : Input.ChangeNote, Input.Revision);
        }
        catch (RefusedException refused)
        {
            ModelState.AddModelError(string.Empty, refused.Message);
        }

        ModelState.Clear();
        ShowConflict(Input.Revision);
        Unsaved = true;
        return Form();
    }

    /// <summary>Puts text this browser kept (typed before a session expired or a tab closed) back into the form.</summary>
    public async Task<IActionResult> OnPostRecoverAsync(Guid id)
    {
        if (await LoadAsync(id, track: false) is { } missing)
        {
            return missing;
        }

        ModelState.Clear();
        if (DraftConflict.IsStale(Input.Revision, Draft.Revision))
        {
            ShowConflict(Input.Revision);
        }

        Unsaved = true;
        return Form();
    }

    /// <summary>Adds an empty red-flag row to the form; autosave or Save draft stores it.</summary>
    public async Task<IActionResult> OnPostAddFlagAsync(Guid id)
    {
        if (await LoadAsync(id, track: false) is { } missing)
        {
            return missing;
        }

        Input.Flags.Add(new FlagInput { Urgency = "urgent" });
        FocusId = $"Input_Flags_{Input.Flags.Count - 1}__Symptom";
        Unsaved = true;
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
            Unsaved = true;
            FocusId = Input.Flags.Count == 0 ? "add-flag" : $"flag-{Math.Min(removeAt, Input.Flags.Count - 1)}-heading";
        }

        return Form();
    }

    public Task<IActionResult> OnPostMoveUpAsync(Guid id, int moveAt) => MoveAsync(id, moveAt, -1);

    public Task<IActionResult> OnPostMoveDownAsync(Guid id, int moveAt) => MoveAsync(id, moveAt, +1);

    /// <summary>The live preview: the same Markdown pipeline as the feed, over the text as typed. Stores nothing.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(Guid id)
    {
        if (await LoadAsync(id, track: false) is { } missing)
        {
            return missing;
        }

        return Partial("_Rendered", new RenderedContent(Document.Kind, Input.ToContent()));
    }

    /// <summary>Heartbeat of an open editor; answers with who else has the draft open.</summary>
    public async Task<IActionResult> OnPostPresenceAsync(Guid id)
    {
        if (!await db.Documents.AnyAsync(d => d.Id == id))
        {
            return NotFound();
        }

        var actor = User.ToActor();
        OthersHere = presence.Beat(id, actor.UserId, actor.DisplayName);
        return Partial("_Presence", this);
    }

    private async Task<IActionResult> MoveAsync(Guid id, int moveAt, int by)
    {
        if (await LoadAsync(id, track: false) is { } missing)
        {
            return missing;
        }

        var to = moveAt + by;
        if (moveAt >= 0 && moveAt < Input.Flags.Count && to >= 0 && to < Input.Flags.Count)
        {
            (Input.Flags[moveAt], Input.Flags[to]) = (Input.Flags[to], Input.Flags[moveAt]);
            ModelState.Clear();
            Unsaved = true;
            var edge = by < 0 ? to == 0 : to == Input.Flags.Count - 1;
            FocusId = edge ? $"flag-{to}-heading" : $"flag-{to}-{(by < 0 ? "up" : "down")}";
        }

        return Form();
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private IActionResult Form()
    {
        if (Conflict is not null)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
        }

        return Request.IsHtmx() ? Partial("_EditForm", this) : Page();
    }

    /// <summary>The id of a field's message element ("Input.Flags[2].Symptom" → "err-Input_Flags_2__Symptom"), so autosave can update it out of band.</summary>
    public static string ErrorId(string key) => "err-" + key.Replace('.', '_').Replace('[', '_').Replace(']', '_');

    /// <summary>Every field message the form shows, in form order; autosave answers for each (empty clears an old message).</summary>
    public IEnumerable<string> FieldKeys()
    {
        yield return "Input.Title";
        yield return "Input.Summary";
        if (Document.Kind == DocumentKind.Article)
        {
            yield return "Input.Body";
            yield return "Input.References";
        }
        else
        {
            yield return "Input.Flags";
            for (var i = 0; i < Input.Flags.Count; i++)
            {
                yield return $"Input.Flags[{i}].Symptom";
                yield return $"Input.Flags[{i}].Advice";
                yield return $"Input.Flags[{i}].Urgency";
            }
        }

        yield return "Input.ChangeNote";
    }

    private static string Label(string key)
    {
        var field = key.StartsWith("Input.", StringComparison.Ordinal) ? key["Input.".Length..] : key;
        var flag = System.Text.RegularExpressions.Regex.Match(field, @"^Flags\[(\d+)\]\.(\w+)$");
        return flag.Success ? $"Red flag {int.Parse(flag.Groups[1].Value) + 1}, {flag.Groups[2].Value.ToLowerInvariant()}" : field == "ChangeNote" ? "Change note" : field;
    }

    /// <summary>The conflict between the stored draft and the posted copy; the form then carries the stored revision.</summary>
    private void ShowConflict(int basedOn)
    {
        Conflict = DraftConflict.Check(Draft, basedOn, Input.ToContent(), Input.ChangeNote)
            ?? new DraftConflict(basedOn, Draft.Revision, Draft.UpdatedByName, Draft.UpdatedAt, DraftConflict.Differences(Draft, Input.ToContent(), Input.ChangeNote));
        ModelState.Remove("Input.Revision");
        Input.Revision = Draft.Revision;
    }

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

        var basedOn = Input.Revision;
        try
        {
            var actor = User.ToActor();
            var before = Draft.CurrentContent();
            var content = Input.ToContent();
            if (DraftConflict.Check(Draft, basedOn, content, Input.ChangeNote) is { TextsAgree: true } same)
            {
                // Stale, but their saved text already equals this one everywhere: saving overwrites nothing of theirs.
                basedOn = same.CurrentRevision;
            }

            Draft.Edit(content, Input.ChangeNote, basedOn, actor, Now);
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
        catch (StaleDraftException)
        {
            ShowConflict(basedOn);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another save won the race between our read and our write: show what it stored.
            db.ChangeTracker.Clear();
            if (await LoadAsync(Document.Id, track: false) is null)
            {
                ShowConflict(basedOn);
            }
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

        /// <summary>One citation per line: the source, then its link.</summary>
        public string? References { get; set; }

        public string? ChangeNote { get; set; }

        public int Revision { get; set; }

        public List<FlagInput> Flags { get; set; } = [];

        public static DraftInput From(DocumentVersion draft) => FromContent(draft.CurrentContent(), draft.ChangeNote, draft.Revision);

        public static DraftInput FromContent(VersionContent content, string? changeNote, int revision) => new()
        {
            Title = content.Title,
            Summary = content.Summary,
            Body = content.BodyMarkdown,
            References = ReferenceInput.ToLines(content.References),
            ChangeNote = changeNote,
            Revision = revision,
            Flags = content.Flags.Select(f => new FlagInput { Symptom = f.Symptom, Advice = f.Advice, Urgency = f.Urgency }).ToList(),
        };

        // Every row is kept, even an empty one, so a field error points at the row the editor sees.
        public VersionContent ToContent() => new(
            Title ?? "",
            Summary ?? "",
            Body ?? "",
            Flags.Select(f => new RedFlagInput(f.Symptom ?? "", f.Advice ?? "", f.Urgency ?? "")).ToList())
        {
            References = ReferenceInput.ParseLines(References),
        };
    }

    public sealed class FlagInput
    {
        public string? Symptom { get; set; }

        public string? Advice { get; set; }

        public string? Urgency { get; set; }
    }
}
