using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentPortal.Web.Data.Configurations;

/// <summary>The audit trail, keyed by its chain sequence (written by <see cref="AuditChainWriter"/>).</summary>
public sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entry)
    {
        entry.ToTable("AuditTrail");
        entry.HasKey(e => e.Sequence);
        entry.Property(e => e.Sequence).ValueGeneratedNever();
        entry.HasIndex(e => e.At);
        entry.HasIndex(e => e.Action);
        entry.Property(e => e.Action).HasMaxLength(60);
        entry.Property(e => e.Subject).HasMaxLength(120);
        entry.Property(e => e.Hash).HasMaxLength(80);
        entry.Property(e => e.PreviousHash).HasMaxLength(80);
    }
}
