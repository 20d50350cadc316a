using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentPortal.Web.Data.Configurations;

/// <summary>Readers' feedback: listed by status and document, newest first.</summary>
public sealed class ReaderFeedbackConfiguration : IEntityTypeConfiguration<ReaderFeedback>
{
    public void Configure(EntityTypeBuilder<ReaderFeedback> feedback)
    {
        feedback.HasKey(f => f.Id);
        feedback.Property(f => f.Id).ValueGeneratedNever();
        feedback.Property(f => f.Slug).HasMaxLength(ContentPortal.Domain.Slug.MaxLength);
        feedback.Property(f => f.Comment).HasMaxLength(ReaderFeedback.MaxCommentLength);
        feedback.Property(f => f.Section).HasMaxLength(ReaderFeedback.MaxSectionLength);
        feedback.Property(f => f.Status).HasConversion<string>().HasMaxLength(20);
        feedback.Property(f => f.DecidedByName).HasMaxLength(256);
        feedback.HasIndex(f => new { f.Status, f.ReceivedAt });
        feedback.HasIndex(f => new { f.DocumentId, f.Status });
    }
}
