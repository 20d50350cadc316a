using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentPortal.Web.Data.Configurations;

/// <summary>A published snapshot and its manifest rows.</summary>
public sealed class SnapshotConfiguration : IEntityTypeConfiguration<Snapshot>
{
    public void Configure(EntityTypeBuilder<Snapshot> snapshot)
    {
        snapshot.HasKey(s => s.Id);
        // Ids come from the plan (current + 1), so two racing publishes collide on the key
        // instead of both succeeding.
        snapshot.Property(s => s.Id).ValueGeneratedNever();
        snapshot.Property(s => s.ETag).HasMaxLength(80);
        snapshot.Property(s => s.AuditHeadHash).HasMaxLength(80);
        snapshot.Property(s => s.AuditHeadKeyId).HasMaxLength(64);
        snapshot.Property(s => s.AuditHeadSignature).HasMaxLength(400);
        snapshot.Property<byte[]?>(PortalDbContext.LegacyFeedJson).HasColumnName("FeedJson");
        snapshot.OwnsMany(s => s.Entries, entry =>
        {
            // A row is one document's entry from snapshot "SnapshotId" until (not including) snapshot
            // "UntilSnapshotId" (null: still in the newest). A publish writes rows only for what changed
            // and closes the rows it replaces, so its cost follows the change, not the corpus (issue 9).
            entry.MapToTable("SnapshotEntries", "SnapshotId");
            entry.Property(e => e.Kind).HasConversion<string>().HasMaxLength(20);
            entry.Property<int?>(PortalDbContext.UntilSnapshot);
            entry.HasIndex(e => e.DocumentId);
            entry.HasIndex(PortalDbContext.UntilSnapshot, nameof(SnapshotEntry.DocumentId));
            // At most one open row per document: the newest manifest names each document once, whatever
            // a publish (or a bug in one) tries to write.
            entry.HasIndex([nameof(SnapshotEntry.DocumentId)], "IX_SnapshotEntries_OpenDocument")
                .IsUnique().HasFilter("\"UntilSnapshotId\" IS NULL");
        });
        // Loading a snapshot never loads rows by "SnapshotId" alone (that is only what changed in it):
        // read a manifest through ManifestOf / CurrentManifest.
        snapshot.Navigation(s => s.Entries).AutoInclude(false);
    }
}
