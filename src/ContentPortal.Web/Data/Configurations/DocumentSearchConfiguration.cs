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
        search.Property(s => s.Title).HasMaxLength(VersionContent.MaxTitleLength).HasDefaultValue("");
        search.Property(s => s.Summary).HasMaxLength(VersionContent.MaxSummaryLength).HasDefaultValue("");
        search.Property(s => s.Body).HasMaxLength(DocumentSearch.MaxTextLength).HasDefaultValue("");
    }
}

/// <summary>The codes a search finds a document by: keyed by code first, so a look-up is one index seek; removed with the document.</summary>
public sealed class DocumentSearchCodeConfiguration : IEntityTypeConfiguration<DocumentSearchCode>
{
    public void Configure(EntityTypeBuilder<DocumentSearchCode> code)
    {
        code.ToTable("DocumentSearchCodes");
        code.HasKey(c => new { c.Code, c.DocumentId });
        code.Property(c => c.Code).HasMaxLength(DocumentSearchCode.MaxCodeLength);
        code.HasIndex(c => c.DocumentId);
        code.HasOne<Document>().WithMany().HasForeignKey(c => c.DocumentId).OnDelete(DeleteBehavior.Cascade);
    }
}
