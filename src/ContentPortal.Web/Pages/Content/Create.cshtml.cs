using System.ComponentModel.DataAnnotations;
using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Content;

[Authorize(Roles = Roles.Editor)]
public class CreateModel(PortalDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty]
    public CreateInput Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var slug = string.IsNullOrWhiteSpace(Input.Slug) ? Slug.Suggest(Input.Title ?? "") : Input.Slug.Trim();
        if (ModelState.IsValid && await db.Documents.AnyAsync(d => d.Slug == slug))
        {
            ModelState.AddModelError("Input.Slug", $"The slug \"{slug}\" is already used by another document. Choose another.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        try
        {
            var actor = User.ToActor();
            var now = clock.GetUtcNow().UtcDateTime;
            var document = Document.Create(Input.Kind, slug, new VersionContent(Input.Title ?? "", "", "", []), actor, now);
            db.Documents.Add(document);
            db.Record(AuditRecord.By(actor, now, "document.created", $"document:{document.Id}", $"Created {Input.Kind} \"{document.Latest.Title}\" with slug {slug}"));
            await db.SaveChangesAsync();
            TempData["Message"] = "Draft created. Write it, then submit it for review.";
            return RedirectToPage("/Content/Edit", new { id = document.Id });
        }
        catch (InvalidContentException invalid)
        {
            ModelState.AddFieldErrors(invalid, "Input");
            return Page();
        }
        catch (DbUpdateException)
        {
            ModelState.AddModelError("Input.Slug", $"The slug \"{slug}\" was just taken by another document. Choose another.");
            return Page();
        }
    }

    public sealed class CreateInput
    {
        public DocumentKind Kind { get; set; } = DocumentKind.Article;

        [Required(ErrorMessage = "Enter a title.")]
        [StringLength(VersionContent.MaxTitleLength, ErrorMessage = "The title is too long.")]
        public string? Title { get; set; }

        public string? Slug { get; set; }
    }
}
