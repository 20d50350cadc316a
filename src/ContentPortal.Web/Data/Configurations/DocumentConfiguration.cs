using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentPortal.Web.Data.Configurations;

/// <summary>
/// A document and its listing columns. The "publishing would change it" column is computed by the database
/// (<paramref name="publishPendingSql"/>); PostgreSQL (before 18) has stored generated columns only, SQLite
/// adds a virtual one without rebuilding the table (<paramref name="storedPublishPending"/>).
/// </summary>
public sealed class DocumentConfiguration(string publishPendingSql, bool storedPublishPending) : IEntityTypeConfiguration<Document>
{
    public void Configure(EntityTypeBuilder<Document> document)
    {
        document.HasKey(d => d.Id);
        document.Property(d => d.Id).ValueGeneratedNever();
        document.Property(d => d.Kind).HasConversion<string>().HasMaxLength(20);
        document.Property(d => d.Slug).HasMaxLength(Slug.MaxLength);
        document.Property(d => d.RetiredByName).HasMaxLength(200);
        document.HasIndex(d => d.Slug).IsUnique();
        document.HasMany(d => d.Versions).WithOne().HasForeignKey(v => v.DocumentId);
        document.Ignore(d => d.LastReviewed);
        document.Ignore(d => d.ReviewDue);
        // The listing (Document.RefreshListing): lists sort, filter and page on these, never on versions.
        document.Property(d => d.LatestStatus).HasConversion<string>().HasMaxLength(20);
        document.Property(d => d.LatestTitle).HasMaxLength(VersionContent.MaxTitleLength);
        document.HasIndex(d => new { d.LatestTitle, d.Id });
        document.HasIndex(d => d.LatestUpdatedAt);
        document.HasIndex(d => d.LatestStatus);
        document.HasIndex(d => d.ListedReviewDue);
        document.HasIndex(d => d.ListedEvidenceDue);
        document.HasIndex(d => d.ListingRevision);
        document.HasIndex(d => d.LatestApprovedId);
        document.HasIndex(d => d.PublishedVersionId);
        document.Property<bool>(PortalDbContext.PublishPending).HasComputedColumnSql(publishPendingSql, stored: storedPublishPending);
        document.HasIndex(PortalDbContext.PublishPending).HasFilter($"\"{PortalDbContext.PublishPending}\"");
        // The Publish page lists the retired documents on every load: an index of just those rows, not a scan of all.
        document.HasIndex(d => d.RetiredAt).HasFilter("\"RetiredAt\" IS NOT NULL");
        document.Navigation(d => d.Versions).AutoInclude();
    }
}
