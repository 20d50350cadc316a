using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using ContentPortal.Web.Publishing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ContentPortal.Web.Pages.Content;

/// <summary>
/// The printable signed record of one version (EU Annex 11 §8, 21 CFR Part 11 §11.50): the content, its
/// SHA-256, every signature with printed name, role, time and meaning, the evidence checks, readability,
/// the workflow history, the audit entries about the version and whether the audit chain verifies.
/// Read-only; editors, reviewers and admins may read it.
/// </summary>
[Authorize(Roles = $"{Roles.Editor},{Roles.Reviewer},{Roles.Admin}")]
public class RecordModel(PortalDbContext db, TimeProvider clock, IOptions<ContentOptions> content) : PageModel
{
    public Document Document { get; private set; } = null!;

    public DocumentVersion Version { get; private set; } = null!;

    public QualityView Quality { get; private set; } = null!;

    public IReadOnlyList<ReferenceCheck> Register { get; private set; } = [];

    public IReadOnlyList<AuditEntry> AuditEntries { get; private set; } = [];

    /// <summary>How many audit entries were verified, and the first break, if any.</summary>
    public int ChainLength { get; private set; }

    public AuditBreak? ChainBreak { get; private set; }

    public DateTime PrintedAt { get; private set; }

    /// <summary>The first snapshot that published this version (null if none has), and whether the feed serves it now.</summary>
    public int? PublishedIn { get; private set; }

    public bool ServedNow { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var documentId = await db.Versions.Where(v => v.Id == id).Select(v => (Guid?)v.DocumentId).FirstOrDefaultAsync();
        if (documentId is null)
        {
            return NotFound();
        }

        Document = await db.Documents.AsNoTracking().FirstAsync(d => d.Id == documentId);
        Version = Document.Versions.First(v => v.Id == id);
        Quality = QualityView.Of(Document.Kind, Version.CurrentContent(), content.Value.ReadingAgeTarget, content.Value.JargonList);
        Register = Document.EvidenceOf(Version);
        AuditEntries = await db.AuditTrail.AsNoTracking().Where(e => e.Subject == Version.Subject).OrderBy(e => e.Sequence).ToListAsync();
        // The whole chain, so the record can say whether the entries above are part of an unbroken trail.
        var chain = await db.AuditTrail.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
        ChainLength = chain.Count;
        ChainBreak = AuditChain.Verify(chain);
        PrintedAt = clock.GetUtcNow().UtcDateTime;
        PublishedIn = await db.Snapshots.Where(s => s.Entries.Any(e => e.VersionId == id)).MinAsync(s => (int?)s.Id);
        ServedNow = PublishedIn is not null && await db.CurrentManifest().AnyAsync(e => e.VersionId == id);
        return Page();
    }
}
