using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentPortal.Web.Data.Configurations;

public sealed class WithdrawalConfiguration : IEntityTypeConfiguration<Withdrawal>
{
    public void Configure(EntityTypeBuilder<Withdrawal> withdrawal)
    {
        withdrawal.HasKey(w => w.Id);
        withdrawal.Property(w => w.Id).ValueGeneratedNever();
        withdrawal.Property(w => w.Status).HasConversion<string>().HasMaxLength(20);
        // The scheduler's due query, and each document's pending one.
        withdrawal.HasIndex(w => new { w.Status, w.DueAt });
        withdrawal.HasIndex(w => new { w.DocumentId, w.Status });
        withdrawal.Property(w => w.Reason).HasMaxLength(Withdrawal.MaxReasonLength);
        withdrawal.HasOne<Document>().WithMany().HasForeignKey(w => w.DocumentId).OnDelete(DeleteBehavior.Restrict);
    }
}
