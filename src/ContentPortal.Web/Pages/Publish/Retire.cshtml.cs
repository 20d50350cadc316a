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

    public Task<IActionResult> OnPostAsync(Guid id) => ChangeAsync(id, (document, actor) =>
    {
        document.Retire(actor, clock.GetUtcNow().UtcDateTime);
        return $"\u201c{document.Latest.Title}\u201d is retired: it leaves the feed with the next publish.";
    });

    public Task<IActionResult> OnPostUnretireAsync(Guid id) => ChangeAsync(id, (document, actor) =>
    {
        document.Unretire(actor);
        return $"\u201c{document.Latest.Title}\u201d is back: its latest approved version enters the next publish.";
    });

    private async Task<IActionResult> ChangeAsync(Guid id, Func<Document, Actor, string> change)
    {
        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == id);
        if (document is null)
        {
            return NotFound();
        }

        try
        {
            var actor = User.ToActor();
            Message = change(document, actor);
            db.Record(AuditRecord.By(actor, clock.GetUtcNow().UtcDateTime, document.IsRetired ? "document.retired" : "document.unretired", $"document:{document.Id}",
                $"{(document.IsRetired ? "Retired" : "Un-retired")} \"{document.Latest.Title}\" ({document.Slug})"));
            await db.SaveChangesAsync();
        }
        catch (RefusedException refused)
        {
            Message = refused.Message;
        }

        return RedirectToPage("/Content/Details", new { id });
    }
}
