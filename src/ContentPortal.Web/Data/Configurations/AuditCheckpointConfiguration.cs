using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentPortal.Web.Data.Configurations;

/// <summary>The audit chain's signed checkpoints.</summary>
public sealed class AuditCheckpointConfiguration : IEntityTypeConfiguration<AuditCheckpoint>
{
    public void Configure(EntityTypeBuilder<AuditCheckpoint> checkpoint)
    {
        checkpoint.ToTable("AuditCheckpoints");
        checkpoint.HasKey(c => c.Id);
        checkpoint.HasIndex(c => c.Sequence);
        checkpoint.Property(c => c.Hash).HasMaxLength(80);
        checkpoint.Property(c => c.Mac).HasMaxLength(80);
        checkpoint.Property(c => c.Reason).HasMaxLength(120);
    }
}
