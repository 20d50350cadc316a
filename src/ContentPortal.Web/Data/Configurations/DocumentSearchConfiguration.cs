using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentPortal.Web.Data.Configurations;

/// <summary>One search row per document, removed with it (kept by <see cref="SearchRows"/>).</summary>
public sealed class DocumentSearchConfiguration : IEntityTypeConfiguration<DocumentSearch>
{
    public void Configure(EntityTypeBuilder<DocumentSearch> search)
    {
        search.ToTable("DocumentSearch");
        search.HasKey(s => s.Id);
        search.HasIndex(s => s.DocumentId).IsUnique();
        search.HasOne<Document>().WithOne().HasForeignKey<DocumentSearch>(s => s.DocumentId).OnDelete(DeleteBehavior.Cascade);
        search.Property(s => s.Text).HasMaxLength(DocumentSearch.MaxTextLength);
    }
}
