using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentPortal.Web.Data.Configurations;

/// <summary>Role grants and password resets waiting for a second administrator.</summary>
public sealed class PendingAccountChangeConfiguration : IEntityTypeConfiguration<PendingAccountChange>
{
    public void Configure(EntityTypeBuilder<PendingAccountChange> builder)
    {
        builder.ToTable("PendingAccountChanges");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.AccountId).HasMaxLength(AccountAdministration.IdLength);
        builder.Property(c => c.AccountName).HasMaxLength(AccountAdministration.NameLength);
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.Roles).HasMaxLength(PendingAccountChange.RolesLength);
        builder.Property(c => c.RequestedById).HasMaxLength(AccountAdministration.IdLength);
        builder.Property(c => c.RequestedByName).HasMaxLength(AccountAdministration.NameLength);
        builder.Ignore(c => c.RoleList);
        builder.HasIndex(c => c.AccountId);
    }
}
