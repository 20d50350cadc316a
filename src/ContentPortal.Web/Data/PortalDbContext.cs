using ContentPortal.Domain;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ContentPortal.Web.Data;

/// <summary>
/// Maps the domain classes as they are. Kept provider-neutral (no SQLite-only types or SQL) so the
/// same model and mappings serve PostgreSQL later.
/// </summary>
public class PortalDbContext(DbContextOptions<PortalDbContext> options) : IdentityDbContext<PortalUser>(options)
{
    public DbSet<Document> Documents => Set<Document>();

    public DbSet<DocumentVersion> Versions => Set<DocumentVersion>();

    public DbSet<Snapshot> Snapshots => Set<Snapshot>();

    public DbSet<ReviewThread> ReviewThreads => Set<ReviewThread>();

    /// <summary>Read it freely; write it only through <see cref="Record"/>, which chains each entry at save time.</summary>
    public DbSet<AuditEntry> AuditTrail => Set<AuditEntry>();

    public DbSet<AuditCheckpoint> AuditCheckpoints => Set<AuditCheckpoint>();

    // One writer at a time extends the chain, so two saves can't both claim the same sequence number.
    // (Single process, as documented; a scale-out store would use a database lock instead.)
    private static readonly SemaphoreSlim AuditGate = new(1, 1);

    // Audit lines of things that are not domain aggregates (logins, Identity accounts).
    private readonly List<AuditRecord> _pendingAudit = [];

    /// <summary>
    /// Queues an audit line for something outside the domain (a login, an account change); domain
    /// aggregates record their own. Either way it is chained and stored in the same SaveChanges as the change.
    /// </summary>
    public void Record(AuditRecord record) => _pendingAudit.Add(record);

    public DbSet<ScheduledPublish> ScheduledPublishes => Set<ScheduledPublish>();

    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every time is stored and read back as UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // Audit records raised by aggregates are written to the chain at save time, never mapped themselves.
        builder.Ignore<AuditRecord>();

        builder.Entity<PortalUser>().Property(u => u.DisplayName).HasMaxLength(200);

        builder.Entity<Document>(document =>
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
            document.Navigation(d => d.Versions).AutoInclude();
        });

        builder.Entity<DocumentVersion>(version =>
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
            version.OwnsMany(v => v.Approvals, approval =>
            {
                OwnedRows(approval, "Approvals", "VersionId");
                approval.Property(a => a.Kind).HasConversion<string>().HasMaxLength(20);
                approval.Property(a => a.ContentHash).HasMaxLength(80);
            });
            version.OwnsMany(v => v.Flags, flag =>
            {
                OwnedRows(flag, "RedFlags", "VersionId");
                flag.Property(f => f.Urgency).HasConversion<string>().HasMaxLength(20);
            });
            version.OwnsMany(v => v.References, reference =>
            {
                OwnedRows(reference, "ArticleReferences", "VersionId");
                reference.Property(r => r.Source).HasMaxLength(ReferenceInput.MaxSourceLength);
                reference.Property(r => r.Link).HasMaxLength(ReferenceInput.MaxLinkLength);
            });
            version.OwnsMany(v => v.Authors, author =>
            {
                OwnedRows(author, "VersionAuthors", "VersionId");
            });
            version.OwnsMany(v => v.Transitions, transition =>
            {
                OwnedRows(transition, "WorkflowTransitions", "VersionId");
                transition.Property(t => t.From).HasConversion<string>().HasMaxLength(20);
                transition.Property(t => t.To).HasConversion<string>().HasMaxLength(20);
            });
        });

        builder.Entity<ReviewThread>(thread =>
        {
            thread.HasKey(t => t.Id);
            thread.Property(t => t.Id).ValueGeneratedNever();
            thread.HasIndex(t => t.DocumentId);
            thread.HasIndex(t => t.VersionId);
            thread.Property(t => t.Anchor).HasMaxLength(20);
            thread.OwnsMany(t => t.Messages, message =>
            {
                OwnedRows(message, "ThreadMessages", "ThreadId");
            });
        });

        builder.Entity<AuditEntry>(entry =>
        {
            entry.ToTable("AuditTrail");
            entry.HasKey(e => e.Sequence);
            entry.Property(e => e.Sequence).ValueGeneratedNever();
            entry.HasIndex(e => e.At);
            entry.HasIndex(e => e.Action);
            entry.Property(e => e.Action).HasMaxLength(60);
            entry.Property(e => e.Subject).HasMaxLength(120);
            entry.Property(e => e.Hash).HasMaxLength(80);
            entry.Property(e => e.PreviousHash).HasMaxLength(80);
        });

        builder.Entity<AuditCheckpoint>(checkpoint =>
        {
            checkpoint.ToTable("AuditCheckpoints");
            checkpoint.HasKey(c => c.Id);
            checkpoint.HasIndex(c => c.Sequence);
            checkpoint.Property(c => c.Hash).HasMaxLength(80);
            checkpoint.Property(c => c.Mac).HasMaxLength(80);
            checkpoint.Property(c => c.Reason).HasMaxLength(120);
        });

        builder.Entity<Snapshot>(snapshot =>
        {
            snapshot.HasKey(s => s.Id);
            // Ids come from the plan (current + 1), so two racing publishes collide on the key
            // instead of both succeeding.
            snapshot.Property(s => s.Id).ValueGeneratedNever();
            snapshot.Property(s => s.ETag).HasMaxLength(80);
            snapshot.OwnsMany(s => s.Entries, entry =>
            {
                OwnedRows(entry, "SnapshotEntries", "SnapshotId");
                entry.Property(e => e.Kind).HasConversion<string>().HasMaxLength(20);
            });
        });

        builder.Entity<ScheduledPublish>(schedule =>
        {
            schedule.HasKey(s => s.Id);
            schedule.Property(s => s.Id).ValueGeneratedNever();
            schedule.Property(s => s.Status).HasConversion<string>().HasMaxLength(20);
            schedule.HasIndex(s => new { s.Status, s.DueAt });
            schedule.Property(s => s.Note).HasMaxLength(Snapshot.MaxNoteLength);
            schedule.OwnsMany(s => s.Entries, entry =>
            {
                OwnedRows(entry, "ScheduledEntries", "ScheduledPublishId");
            });
            schedule.Navigation(s => s.Entries).AutoInclude();
        });

        builder.Entity<WebhookSubscription>(subscription =>
        {
            subscription.HasKey(s => s.Id);
            subscription.Property(s => s.Id).ValueGeneratedNever();
            subscription.Property(s => s.Url).HasMaxLength(2000);
            subscription.Property(s => s.Secret).HasMaxLength(200);
        });

        builder.Entity<WebhookDelivery>(delivery =>
        {
            delivery.HasKey(d => d.Id);
            delivery.Property(d => d.Id).ValueGeneratedNever();
            delivery.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
            delivery.HasIndex(d => new { d.Status, d.NextAttemptAt });
            delivery.HasIndex(d => d.SubscriptionId);
            delivery.HasOne<WebhookSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
            delivery.OwnsMany(d => d.Attempts, attempt =>
            {
                OwnedRows(attempt, "WebhookAttempts", "DeliveryId");
                attempt.Property(a => a.Error).HasMaxLength(500);
            });
            delivery.Navigation(d => d.Attempts).AutoInclude();
        });
    }

    /// <summary>An owned collection as a table of its own: a surrogate key and the owner's id.</summary>
    private static void OwnedRows<TOwner, TOwned>(OwnedNavigationBuilder<TOwner, TOwned> rows, string table, string ownerKey)
        where TOwner : class
        where TOwned : class
    {
        rows.ToTable(table);
        rows.WithOwner().HasForeignKey(ownerKey);
        rows.Property<int>("Id");
        rows.HasKey("Id");
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RefuseChangesToFrozenRecords();
        var aggregates = ChangeTracker.Entries<Aggregate>().Select(e => e.Entity).Where(a => a.AuditEvents.Count > 0).ToList();
        var records = aggregates.SelectMany(a => a.AuditEvents).Concat(_pendingAudit).OrderBy(r => r.Order).ToList();
        if (records.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        await AuditGate.WaitAsync(cancellationToken);
        IReadOnlyList<AuditEntry> chained = [];
        try
        {
            var last = await AuditTrail.AsNoTracking().OrderByDescending(e => e.Sequence).FirstOrDefaultAsync(cancellationToken);
            chained = AuditChain.Append(last, records);
            AuditTrail.AddRange(chained);
            var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            _pendingAudit.Clear();
            aggregates.ForEach(a => a.ClearAuditEvents());
            return saved;
        }
        catch
        {
            // Nothing was stored: un-track the chained entries so a retry chains afresh.
            foreach (var entry in chained)
            {
                Entry(entry).State = EntityState.Detached;
            }

            throw;
        }
        finally
        {
            AuditGate.Release();
        }
    }

    /// <summary>
    /// Defence in depth behind the domain rules: a published snapshot, and the content of a version
    /// that has left Draft, can never be updated or deleted through this context.
    /// </summary>
    private void RefuseChangesToFrozenRecords()
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            switch (entry.Entity)
            {
                case Snapshot or SnapshotEntry:
                    throw new RefusedException("Published snapshots never change.");
                case AuditEntry:
                    throw new RefusedException("The audit trail is append-only; entries are never changed or removed.");
                case Approval:
                    throw new RefusedException("A signature is never changed or removed.");
                case DocumentVersion when IsFrozen(entry) && (entry.State == EntityState.Deleted || ContentChanged(entry)):
                    throw new RefusedException("This version has been submitted; its content can no longer change.");
                case RedFlag when OwnerFrozen(entry):
                    throw new RefusedException("This version has been submitted; its red flags can no longer change.");
                case ArticleReference when OwnerFrozen(entry):
                    throw new RefusedException("This version has been submitted; its references can no longer change.");
            }
        }
    }

    private static readonly string[] ContentProperties =
        [nameof(DocumentVersion.Title), nameof(DocumentVersion.Summary), nameof(DocumentVersion.BodyMarkdown), nameof(DocumentVersion.ContentHash)];

    private static bool IsFrozen(EntityEntry entry) =>
        entry.OriginalValues[nameof(DocumentVersion.Status)] is VersionStatus status && status != VersionStatus.Draft;

    private static bool ContentChanged(EntityEntry entry) => ContentProperties.Any(p => entry.Property(p).IsModified);

    private bool OwnerFrozen(EntityEntry flagEntry)
    {
        var versionId = flagEntry.Property("VersionId").OriginalValue;
        var owner = ChangeTracker.Entries<DocumentVersion>().FirstOrDefault(v => Equals(v.Entity.Id, versionId));
        return owner is not null && IsFrozen(owner);
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v.HasValue ? (v.Value.Kind == DateTimeKind.Utc ? v.Value : v.Value.ToUniversalTime()) : v,
        v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);
}
