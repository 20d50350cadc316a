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
        checkpoint.Property(c => c.PreviousHash).HasMaxLength(80);
        checkpoint.Property(c => c.KeyId).HasMaxLength(64);
        checkpoint.Property(c => c.Signature).HasMaxLength(400);
    }
}

/// <summary>Every public key the audit chain was ever signed with.</summary>
public sealed class AuditSigningKeyConfiguration : IEntityTypeConfiguration<AuditSigningKey>
{
    public void Configure(EntityTypeBuilder<AuditSigningKey> key)
    {
        key.ToTable("AuditSigningKeys");
        key.HasKey(k => k.Id);
        key.HasIndex(k => k.KeyId).IsUnique();
        key.Property(k => k.KeyId).HasMaxLength(64);
        key.Property(k => k.X).HasMaxLength(64);
        key.Property(k => k.Y).HasMaxLength(64);
        key.Property(k => k.PreviousKeyId).HasMaxLength(64);
        key.Property(k => k.Endorsement).HasMaxLength(400);
    }
}
