using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentPortal.Web.Data.Configurations;

/// <summary>A review thread on a version and its messages.</summary>
public sealed class ReviewThreadConfiguration : IEntityTypeConfiguration<ReviewThread>
{
    public void Configure(EntityTypeBuilder<ReviewThread> thread)
    {
        thread.HasKey(t => t.Id);
        thread.Property(t => t.Id).ValueGeneratedNever();
        thread.HasIndex(t => t.DocumentId);
        thread.HasIndex(t => t.VersionId);
        thread.Property(t => t.Anchor).HasMaxLength(20);
        thread.OwnsMany(t => t.Messages, message => message.MapToTable("ThreadMessages", "ThreadId"));
    }
}
