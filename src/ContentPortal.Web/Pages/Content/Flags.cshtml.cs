using ContentPortal.Domain;
using ContentPortal.Web.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContentPortal.Web.Pages.Content;

/// <summary>
/// The red-flag rows of a draft red-flag list: Add, Move up, Move down, Remove. Each re-renders the
/// draft form from the posted rows (nothing is stored; autosave or Save draft stores the change) and
/// moves focus to the row that moved or was added.
/// </summary>
[Authorize(Roles = Roles.Editor)]
public class FlagsModel(PortalDbContext db) : PageModel
{
    [BindProperty]
    public DraftInput Input { get; set; } = new();

    public DraftEditor Editor { get; private set; } = null!;

    public IActionResult OnGet(Guid id) => RedirectToPage("/Content/Edit", new { id });

    public Task<IActionResult> OnPostAddFlagAsync(Guid id) => ChangeRowsAsync(id, rows =>
    {
        rows.Add(new FlagInput { Urgency = "urgent" });
        return $"Input_Flags_{rows.Count - 1}__Symptom";
    });

    public Task<IActionResult> OnPostRemoveFlagAsync(Guid id, int removeAt) => ChangeRowsAsync(id, rows =>
    {
        if (removeAt < 0 || removeAt >= rows.Count)
        {
            return null;
        }

        rows.RemoveAt(removeAt);
        return rows.Count == 0 ? "add-flag" : $"flag-{Math.Min(removeAt, rows.Count - 1)}-heading";
    });

    public Task<IActionResult> OnPostMoveUpAsync(Guid id, int moveAt) => ChangeRowsAsync(id, rows => Move(rows, moveAt, -1));

    public Task<IActionResult> OnPostMoveDownAsync(Guid id, int moveAt) => ChangeRowsAsync(id, rows => Move(rows, moveAt, +1));

    /// <summary>Swaps a row with its neighbour; focus stays on the same button unless the row reached an end.</summary>
    private static string? Move(List<FlagInput> rows, int at, int by)
    {
        var to = at + by;
        if (at < 0 || at >= rows.Count || to < 0 || to >= rows.Count)
        {
            return null;
        }

        (rows[at], rows[to]) = (rows[to], rows[at]);
        var edge = by < 0 ? to == 0 : to == rows.Count - 1;
        return edge ? $"flag-{to}-heading" : $"flag-{to}-{(by < 0 ? "up" : "down")}";
    }

    /// <summary>Applies a row change to the posted form; <paramref name="change"/> answers the element to focus, or null when nothing changed.</summary>
    private async Task<IActionResult> ChangeRowsAsync(Guid id, Func<List<FlagInput>, string?> change)
    {
        var (editor, instead) = await DraftEditor.LoadAsync(this, db, id, Input, track: false);
        if (editor is null)
        {
            return instead!;
        }

        Editor = editor;
        if (change(Input.Flags) is { } focus)
        {
            ModelState.Clear(); // rows moved: render from Input, not from the posted indexes.
            Editor.FocusId = focus;
            Editor.Unsaved = true;
        }

        return Editor.Answer(this);
    }
}
