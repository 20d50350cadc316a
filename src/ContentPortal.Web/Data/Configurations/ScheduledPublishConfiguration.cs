using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentPortal.Web.Data.Configurations;

/// <summary>A publish planned for later and the versions it names.</summary>
public sealed class ScheduledPublishConfiguration : IEntityTypeConfiguration<ScheduledPublish>
{
    public void Configure(EntityTypeBuilder<ScheduledPublish> schedule)
    {
        schedule.HasKey(s => s.Id);
        schedule.Property(s => s.Id).ValueGeneratedNever();
        schedule.Property(s => s.Status).HasConversion<string>().HasMaxLength(20);
        schedule.HasIndex(s => new { s.Status, s.DueAt });
        schedule.Property(s => s.Note).HasMaxLength(Snapshot.MaxNoteLength);
        schedule.OwnsMany(s => s.Entries, entry => entry.MapToTable("ScheduledEntries", "ScheduledPublishId"));
        schedule.Navigation(s => s.Entries).AutoInclude();
    }
}
