using ContentPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentPortal.Web.Data.Configurations;

/// <summary>One editor's heartbeat on one open draft.</summary>
public sealed class PresenceBeatConfiguration : IEntityTypeConfiguration<PresenceBeat>
{
    public void Configure(EntityTypeBuilder<PresenceBeat> beat)
    {
        beat.HasKey(b => new { b.DocumentId, b.UserId });
        beat.Property(b => b.UserId).HasMaxLength(450);
        beat.Property(b => b.Name).HasMaxLength(200);
        beat.HasIndex(b => b.LastSeen);
    }
}
