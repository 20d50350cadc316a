using ContentPortal.Domain;
using ContentPortal.Web.Feed;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentPortal.Web.Data.Configurations;

/// <summary>Each approved version's feed item, rendered once.</summary>
public sealed class RenditionConfiguration : IEntityTypeConfiguration<Rendition>
{
    public void Configure(EntityTypeBuilder<Rendition> rendition)
    {
        rendition.HasKey(r => new { r.VersionId, r.PeriodicReviews, r.ReviewOverdue });
        rendition.Ignore(r => r.Key);
        rendition.Property(r => r.VersionId).ValueGeneratedNever();
        rendition.Property(r => r.Slug).HasMaxLength(Slug.MaxLength);
        rendition.HasIndex(r => r.DocumentId);
    }
}
