using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentPortal.Web.Data.Configurations;

/// <summary>Every administrator action on an account, read by the signing rule in both directions.</summary>
public sealed class AccountAdministrationConfiguration : IEntityTypeConfiguration<AccountAdministration>
{
    public void Configure(EntityTypeBuilder<AccountAdministration> builder)
    {
        builder.ToTable("AccountAdministrations");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.AdministratorId).HasMaxLength(AccountAdministration.IdLength);
        builder.Property(a => a.AdministratorName).HasMaxLength(AccountAdministration.NameLength);
        builder.Property(a => a.AccountId).HasMaxLength(AccountAdministration.IdLength);
        builder.Property(a => a.AccountName).HasMaxLength(AccountAdministration.NameLength);
        builder.Property(a => a.Action).HasConversion<string>().HasMaxLength(20);
        // The signing rule asks both ways: what the signer did, and what was done to the signer.
        builder.HasIndex(a => new { a.AdministratorId, a.AccountId });
        builder.HasIndex(a => a.AccountId);
    }
}
