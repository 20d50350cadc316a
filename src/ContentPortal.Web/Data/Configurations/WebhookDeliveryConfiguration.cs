using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentPortal.Web.Data.Configurations;

/// <summary>A webhook delivery waiting or done, and its attempts; removed with its subscription.</summary>
public sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> delivery)
    {
        delivery.HasKey(d => d.Id);
        delivery.Property(d => d.Id).ValueGeneratedNever();
        delivery.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
        delivery.HasIndex(d => new { d.Status, d.NextAttemptAt });
        delivery.HasIndex(d => d.SubscriptionId);
        delivery.HasOne<WebhookSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        delivery.OwnsMany(d => d.Attempts, attempt =>
        {
            attempt.MapToTable("WebhookAttempts", "DeliveryId");
            attempt.Property(a => a.Error).HasMaxLength(500);
        });
        delivery.Navigation(d => d.Attempts).AutoInclude();
    }
}
