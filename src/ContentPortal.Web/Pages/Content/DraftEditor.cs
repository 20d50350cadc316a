using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using ContentPortal.Web.Pages.Comments;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Content;

/// <summary>
/// What the draft form shows (<c>_EditPage</c>, <c>_EditForm</c> and their parts): the draft, the typed
/// text, and the state of the last save. Built by the Edit page (editing, autosave, conflicts) and the
/// Flags page (red-flag rows), which both answer with the same form.
/// </summary>
public sealed class DraftEditor(Document document, DocumentVersion draft, DraftInput input)
{
    public Document Document { get; } = document;

    public DocumentVersion Draft { get; } = draft;

    public DraftInput Input { get; set; } = input;

    public DateTime? SavedAt { get; set; }

    /// <summary>Review comments on this document, so the editor can answer what reviewers asked.</summary>
    public ThreadsView? Threads { get; set; }

    /// <summary>Set when the posted copy was stale: their text and the editor's, field by field.</summary>
    public DraftConflict? Conflict { get; set; }

    /// <summary>The form holds changes that are not stored yet (rows added, moved or recovered): autosave picks them up.</summary>
    public bool Unsaved { get; set; }

    /// <summary>Element id to focus after an htmx swap (the row a button moved, the row added).</summary>
    public string? FocusId { get; set; }

    /// <summary>Why the last save did not store anything, for the status line.</summary>
    public string? NotSavedReason { get; set; }

    public string? Message { get; set; }

    /// <summary>
    /// The document and its open draft, or what to answer instead: 404, or (no draft open) back to the
    /// document's page with a message. <paramref name="input"/> is the posted form, or null to show the draft.
    /// </summary>
    public static async Task<(DraftEditor? Editor, IActionResult? Instead)> LoadAsync(PageModel page, PortalDbContext db, Guid id, DraftInput? input, bool track)
    {
        var documents = track ? db.Documents : db.Documents.AsNoTracking();
        var document = await documents.FirstOrDefaultAsync(d => d.Id == id);
        if (document is null)
        {
            return (null, new NotFoundResult());
        }

        if (document.OpenVersion is not { Status: VersionStatus.Draft } draft)
        {
            page.TempData["Message"] = document.OpenVersion is { } open
                ? $"Version {open.Number} is in review, so there is no draft to edit."
                : "There is no open draft. Use Edit to start one from the latest version.";
            return (null, page.RedirectEither(page.Url.Page("/Content/Details", new { id })!));
        }

        var editor = new DraftEditor(document, draft, input ?? DraftInput.From(draft));
        if (!page.Request.IsHtmx())
        {
            // Only the full page shows the threads; fragments never need them.
            editor.Threads = await ThreadsView.LoadAsync(db, document, draft, page.Url.Page("/Content/Edit", new { id })!);
        }

        return (editor, null);
    }

    /// <summary>The form's answer: the fragment for htmx, the whole page otherwise; 409 while a conflict is shown.</summary>
    public IActionResult Answer(PageModel page)
    {
        if (Conflict is not null)
        {
            page.Response.StatusCode = StatusCodes.Status409Conflict;
        }

        return page.Request.IsHtmx() ? page.Partial("_EditForm", this) : page.Page();
    }

    /// <summary>The conflict between the stored draft and the posted copy; the form then carries the stored revision.</summary>
    public void ShowConflict(int basedOn, ModelStateDictionary modelState)
    {
        Conflict = DraftConflict.Check(Draft, basedOn, Input.ToContent(), Input.ChangeNote)
            ?? new DraftConflict(basedOn, Draft.Revision, Draft.UpdatedByName, Draft.UpdatedAt, DraftConflict.Differences(Draft, Input.ToContent(), Input.ChangeNote));
        modelState.Remove("Input.Revision");
        Input.Revision = Draft.Revision;
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
            yield return "Input.Codes";
        }
        else
        {
            yield return "Input.Flags";
            for (var i = 0; i < Input.Flags.Count; i++)
            {
                yield return $"Input.Flags[{i}].Symptom";
                yield return $"Input.Flags[{i}].Advice";
                yield return $"Input.Flags[{i}].Urgency";
                yield return $"Input.Flags[{i}].Codes";
            }

            yield return "Input.Codes";
        }

        yield return "Input.ChangeNote";
    }

    /// <summary>The field messages as one line for the status ("Red flag 2, symptom: Enter the symptom.").</summary>
    public static string Describe(ModelStateDictionary modelState) => string.Join(" ", modelState.Where(e => e.Value?.Errors.Count > 0)
        .Select(e => (Label(e.Key), e.Value!.Errors.Select(x => x.ErrorMessage)))
        .Select(x => (x.Item1.Length > 0 ? x.Item1 + ": " : "") + string.Join(" ", x.Item2)));

    private static string Label(string key)
    {
        var field = key.StartsWith("Input.", StringComparison.Ordinal) ? key["Input.".Length..] : key;
        var flag = System.Text.RegularExpressions.Regex.Match(field, @"^Flags\[(\d+)\]\.(\w+)$");
        return flag.Success ? $"Red flag {int.Parse(flag.Groups[1].Value) + 1}, {flag.Groups[2].Value.ToLowerInvariant()}" : field == "ChangeNote" ? "Change note" : field;
    }
}
