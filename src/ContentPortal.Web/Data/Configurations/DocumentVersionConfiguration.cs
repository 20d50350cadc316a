using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentPortal.Web.Data.Configurations;

/// <summary>A version and the rows it owns: signatures, evidence checks, red flags, references, authors, transitions.</summary>
public sealed class DocumentVersionConfiguration : IEntityTypeConfiguration<DocumentVersion>
{
    public void Configure(EntityTypeBuilder<DocumentVersion> version)
    {
        version.HasKey(v => v.Id);
        version.Property(v => v.Id).ValueGeneratedNever();
        version.HasIndex(v => new { v.DocumentId, v.Number }).IsUnique();
        version.HasIndex(v => v.Status);
        version.Property(v => v.Kind).HasConversion<string>().HasMaxLength(20);
        version.Property(v => v.Status).HasConversion<string>().HasMaxLength(20);
        version.Property(v => v.Title).HasMaxLength(VersionContent.MaxTitleLength);
        version.Property(v => v.Summary).HasMaxLength(VersionContent.MaxSummaryLength);
        version.Property(v => v.ContentHash).HasMaxLength(80);
        version.Property(v => v.Revision).IsConcurrencyToken();
        version.Property(v => v.ReviewKind).HasConversion<string>().HasMaxLength(20);
        version.Property(v => v.Codes).HasConversion(CodesColumn.Converter, CodesColumn.Comparer);
        version.Property(v => v.Aspects).HasConversion(AspectsColumn.Converter, AspectsColumn.Comparer);
        version.OwnsMany(v => v.Approvals, approval =>
        {
            approval.MapToTable("Approvals", "VersionId");
            approval.Property(a => a.Kind).HasConversion<string>().HasMaxLength(20);
            approval.Property(a => a.ContentHash).HasMaxLength(80);
            approval.Property(a => a.ReadabilityReason).HasMaxLength(SigningAnswers.MaxReasonLength);
        });
        version.OwnsMany(v => v.EvidenceChecks, check =>
        {
            check.MapToTable("EvidenceChecks", "VersionId");
            check.Property(c => c.Source).HasMaxLength(ReferenceInput.MaxSourceLength);
            check.Property(c => c.Link).HasMaxLength(ReferenceInput.MaxLinkLength);
            check.Property(c => c.Reason).HasMaxLength(SigningAnswers.MaxReasonLength);
        });
        version.OwnsMany(v => v.Flags, flag =>
        {
            flag.MapToTable("RedFlags", "VersionId");
            flag.Property(f => f.Urgency).HasConversion<string>().HasMaxLength(20);
            flag.Property(f => f.Codes).HasConversion(CodesColumn.Converter, CodesColumn.Comparer);
        });
        version.OwnsMany(v => v.References, reference =>
        {
            reference.MapToTable("ArticleReferences", "VersionId");
            reference.Property(r => r.Source).HasMaxLength(ReferenceInput.MaxSourceLength);
            reference.Property(r => r.Link).HasMaxLength(ReferenceInput.MaxLinkLength);
            reference.Property(r => r.Section).HasMaxLength(ReferenceInput.MaxSectionLength);
        });
        version.OwnsMany(v => v.Authors, author => author.MapToTable("VersionAuthors", "VersionId"));
        version.OwnsMany(v => v.Transitions, transition =>
        {
            transition.MapToTable("WorkflowTransitions", "VersionId");
            transition.Property(t => t.From).HasConversion<string>().HasMaxLength(20);
            transition.Property(t => t.To).HasConversion<string>().HasMaxLength(20);
        });
    }
}
