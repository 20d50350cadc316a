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
            SlugNote = Slug.Problem(slug) ?? ((await db.SlugFactsAsync(null, slug)).TakenByAnother ? Slug.Taken(slug) : $"\"{slug}\" is free.");
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
        if (ModelState.IsValid && (await db.SlugFactsAsync(null, slug)).TakenByAnother)
        {
            ModelState.AddModelError("Input.Slug", Slug.Taken(slug));
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        Document? document = null;
        if (!await this.TryAsync(async () =>
            {
                document = Document.Create(Input.Kind, slug, new VersionContent(Input.Title ?? "", "", "", []), User.ToActor(), clock.GetUtcNow().UtcDateTime);
                db.Documents.Add(document);
                try
                {
                    await db.SaveChangesAsync();
                }
                catch (DbUpdateException)
                {
                    // Taken between the check above and this save.
                    throw new InvalidContentException(new Dictionary<string, string> { ["Slug"] = Slug.Taken(slug) });
                }
            }, nameof(Input)))
        {
            return Page();
        }

        TempData["Message"] = "Draft created. Write it, then submit it for review.";
        return RedirectToPage("/Content/Edit", new { id = document!.Id });
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
