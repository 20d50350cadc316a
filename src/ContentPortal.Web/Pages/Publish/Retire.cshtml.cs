using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Publish;

/// <summary>Retire / un-retire a document. Publishers only (folder convention); the forms live on the document's page and the Publish page.</summary>
public class RetireModel(PortalDbContext db, TimeProvider clock) : PageModel
{
    [TempData]
    public string? Message { get; set; }

    public IActionResult OnGet(Guid id) => RedirectToPage("/Content/Details", new { id });

    public Task<IActionResult> OnPostAsync(Guid id) => ChangeAsync(id, (document, actor, now) =>
    {
        document.Retire(actor, now);
        return $"\u201c{document.Latest.Title}\u201d is retired: it leaves the feed with the next publish.";
    });

    public Task<IActionResult> OnPostUnretireAsync(Guid id) => ChangeAsync(id, (document, actor, now) =>
    {
        document.Unretire(actor, now);
        return $"\u201c{document.Latest.Title}\u201d is back: its latest approved version enters the next publish.";
    });

    /// <summary>Both end on the document's page, which shows the outcome or the refusal.</summary>
    private async Task<IActionResult> ChangeAsync(Guid id, Func<Document, Actor, DateTime, string> change)
    {
        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == id);
        if (document is null)
        {
            return NotFound();
        }

        string? done = null;
        Message = await this.TryAsync(async () =>
            {
                done = change(document, User.ToActor(), clock.GetUtcNow().UtcDateTime);
                await db.SaveChangesAsync();
            })
            ? done
            : ModelState.Messages();
        return RedirectToPage("/Content/Details", new { id });
    }
}
