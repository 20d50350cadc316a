using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentPortal.Web.Data.Configurations;

/// <summary>A guest's review link: found by the hash of its token (the token itself is never stored).</summary>
public sealed class ReviewLinkConfiguration : IEntityTypeConfiguration<ReviewLink>
{
    public void Configure(EntityTypeBuilder<ReviewLink> link)
    {
        link.HasKey(l => l.Id);
        link.Property(l => l.Id).ValueGeneratedNever();
        link.Property(l => l.TokenHash).HasMaxLength(64);
        link.HasIndex(l => l.TokenHash).IsUnique();
        link.HasIndex(l => l.VersionId);
        link.Property(l => l.GuestName).HasMaxLength(ReviewLink.MaxGuestNameLength);
        link.Property(l => l.CreatedById).HasMaxLength(450);
        link.Property(l => l.CreatedByName).HasMaxLength(256);
        link.Property(l => l.RevokedByName).HasMaxLength(256);
    }
}
