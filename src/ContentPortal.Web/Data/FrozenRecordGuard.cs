using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace ContentPortal.Web.Data;

/// <summary>
/// Save-time job 1 of <see cref="PortalDbContext"/>. Defence in depth behind the domain rules: a published
/// snapshot, a signature, the audit trail, and the content of a version that has left Draft can never be
/// updated or deleted through the context. Runs before anything else in a save, so nothing is written.
/// </summary>
public static class FrozenRecordGuard
{
    private static readonly string[] ContentProperties =
        [nameof(DocumentVersion.Title), nameof(DocumentVersion.Summary), nameof(DocumentVersion.BodyMarkdown), nameof(DocumentVersion.Codes), nameof(DocumentVersion.ContentHash)];

    /// <summary>Throws <see cref="RefusedException"/> for the first tracked change to a frozen record.</summary>
    public static void Check(ChangeTracker changes)
    {
        foreach (var entry in changes.Entries())
        {
            if (entry.State is not (EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            switch (entry.Entity)
            {
                case Snapshot or SnapshotEntry:
                    throw new RefusedException("Published snapshots never change.");
                case Feed.Rendition when entry.State == EntityState.Deleted:
                    throw new RefusedException("A published rendition never changes.");
                case AuditEntry:
                    throw new RefusedException("The audit trail is append-only; entries are never changed or removed.");
                case Approval:
                    throw new RefusedException("A signature is never changed or removed.");
                case EvidenceCheck:
                    throw new RefusedException("An evidence check is part of a signature; it is never changed or removed.");
                case DocumentVersion when IsFrozen(entry) && (entry.State == EntityState.Deleted || ContentChanged(entry)):
                    throw new RefusedException("This version has been submitted; its content can no longer change.");
                case RedFlag when OwnerFrozen(changes, entry):
                    throw new RefusedException("This version has been submitted; its red flags can no longer change.");
                case ArticleReference when OwnerFrozen(changes, entry):
                    throw new RefusedException("This version has been submitted; its references can no longer change.");
            }
        }
    }

    private static bool IsFrozen(EntityEntry entry) =>
        entry.OriginalValues[nameof(DocumentVersion.Status)] is VersionStatus status && status != VersionStatus.Draft;

    private static bool ContentChanged(EntityEntry entry) => ContentProperties.Any(p => entry.Property(p).IsModified);

    private static bool OwnerFrozen(ChangeTracker changes, EntityEntry ownedEntry)
    {
        var versionId = ownedEntry.Property("VersionId").OriginalValue;
        var owner = changes.Entries<DocumentVersion>().FirstOrDefault(v => Equals(v.Entity.Id, versionId));
        return owner is not null && IsFrozen(owner);
    }
}
