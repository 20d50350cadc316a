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

    /// <summary>What the slug field says about the slug (suggested, free, taken), set by the Slug handler.</summary>
    public string? SlugNote { get; private set; }

    /// <summary>As the title is typed: a free slug suggested from it, unless the editor has typed their own; either way, whether it is free.</summary>
    public async Task<IActionResult> OnPostSlugAsync()
    {
        ModelState.Clear();
        if (!Input.SlugTouched || string.IsNullOrWhiteSpace(Input.Slug))
        {
            Input.Slug = await FreeSlugAsync(Slug.Suggest(Input.Title ?? ""));
            Input.SlugTouched = false;
            SlugNote = Input.Slug.Length == 0 ? null : "Suggested from the title. You can change it until the document is first published.";
        }
        else
        {
            var slug = Input.Slug.Trim();
            SlugNote = Slug.Problem(slug) ?? (await db.Documents.AnyAsync(d => d.Slug == slug) ? $"\"{slug}\" is already used by another document." : $"\"{slug}\" is free.");
        }

        return Partial("_SlugField", this);
    }

    /// <summary>The suggestion itself if no document uses it, else the first free one of suggestion-2, -3, …</summary>
    private async Task<string> FreeSlugAsync(string suggestion)
    {
        if (suggestion.Length == 0)
        {
            return suggestion;
        }

        var taken = (await db.Documents.Where(d => d.Slug == suggestion || d.Slug.StartsWith(suggestion + "-")).Select(d => d.Slug).ToListAsync()).ToHashSet();
        var candidate = suggestion;
        for (var n = 2; taken.Contains(candidate); n++)
        {
            var suffix = $"-{n}";
            candidate = suggestion[..Math.Min(suggestion.Length, Slug.MaxLength - suffix.Length)].TrimEnd('-') + suffix;
        }

        return candidate;
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var slug = string.IsNullOrWhiteSpace(Input.Slug) ? await FreeSlugAsync(Slug.Suggest(Input.Title ?? "")) : Input.Slug.Trim();
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

        /// <summary>True once the editor typed a slug themselves: suggestions then leave it alone.</summary>
        public bool SlugTouched { get; set; }
    }
}
