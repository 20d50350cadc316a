using ContentPortal.Domain;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using ContentPortal.Web.Data.Configurations;

namespace ContentPortal.Web.Data;

/// <summary>
/// Maps the domain classes as they are. Provider-neutral (no provider-only types or SQL): the same model
/// serves SQLite (this type, migrations in Data/Migrations) and PostgreSQL (<see cref="Postgres.PostgresPortalDbContext"/>,
/// migrations in Data/Postgres/Migrations).
/// </summary>
public class PortalDbContext(DbContextOptions options) : IdentityDbContext<PortalUser>(options), IDataProtectionKeyContext
{
    /// <summary>The Data Protection key ring (login cookies, antiforgery), shared by every instance on this database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Document> Documents => Set<Document>();

    public DbSet<DocumentVersion> Versions => Set<DocumentVersion>();

    public DbSet<Snapshot> Snapshots => Set<Snapshot>();

    /// <summary>The latest version's text per document, for the content list's search (DocumentSearch.cs).</summary>
    public DbSet<DocumentSearch> DocumentSearches => Set<DocumentSearch>();

    /// <summary>Each document's clinical codes, for exact search by code (DocumentSearch.cs).</summary>
    public DbSet<DocumentSearchCode> DocumentSearchCodes => Set<DocumentSearchCode>();

    /// <summary>Each approved version's feed item, rendered once (Feed/Rendition.cs).</summary>
    public DbSet<Feed.Rendition> Renditions => Set<Feed.Rendition>();

    /// <summary>
    /// The whole feed as stored by portals before renditions (the column "FeedJson"): kept for those
    /// snapshots only; a snapshot published now is its manifest and is assembled from renditions.
    /// </summary>
    public const string LegacyFeedJson = "LegacyFeedJson";

    /// <summary>
    /// A document's column "publishing now would change it": its latest approved version is not the one
    /// published (and it is live), or it is published but retired or no longer approved. Computed by the
    /// database from the listing columns, so it can never be stale (a stale flag would hide pending clinical
    /// content), and indexed for the rows where it holds: the Publish page and the publisher's dashboard
    /// read only those, not every document.
    /// </summary>
    public const string PublishPending = "PublishPending";

    private const string PublishPendingSql =
        """("RetiredAt" IS NULL AND "LatestApprovedId" IS NOT NULL AND ("PublishedVersionId" IS NULL OR "PublishedVersionId" <> "LatestApprovedId" OR "PublishedPeriodicReviews" <> "ListedPeriodicReviews")) OR ("PublishedVersionId" IS NOT NULL AND ("RetiredAt" IS NOT NULL OR "LatestApprovedId" IS NULL))""";

    /// <summary>The snapshot a manifest row stops at (exclusive); null while the row is in the newest snapshot.</summary>
    public const string UntilSnapshot = "UntilSnapshotId";

    public DbSet<ReviewThread> ReviewThreads => Set<ReviewThread>();

    public DbSet<ReviewLink> ReviewLinks => Set<ReviewLink>();

    public DbSet<ReaderFeedback> ReaderFeedback => Set<ReaderFeedback>();

    /// <summary>Read it freely; write it only through <see cref="Record"/>, which chains each entry at save time.</summary>
    public DbSet<AuditEntry> AuditTrail => Set<AuditEntry>();

    public DbSet<AuditCheckpoint> AuditCheckpoints => Set<AuditCheckpoint>();

    public DbSet<AuditSigningKey> AuditSigningKeys => Set<AuditSigningKey>();

    // The audit records queued with Record, chained onto the trail by each save.
    private readonly AuditChainWriter _auditChain = new();

    /// <summary>
    /// Queues an audit line for something outside the domain (a login, an account change); domain
    /// aggregates record their own. Either way it is chained and stored in the same SaveChanges as the change.
    /// </summary>
    public void Record(AuditRecord record) => _auditChain.Queue(record);

    public DbSet<ScheduledPublish> ScheduledPublishes => Set<ScheduledPublish>();

    public DbSet<Withdrawal> Withdrawals => Set<Withdrawal>();

    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    /// <summary>Editors' heartbeats on open drafts (who else is here); rows expire after a minute.</summary>
    public DbSet<Infrastructure.PresenceBeat> PresenceBeats => Set<Infrastructure.PresenceBeat>();

    public DbSet<AccountAdministration> AccountAdministrations => Set<AccountAdministration>();

    public DbSet<PendingAccountChange> PendingAccountChanges => Set<PendingAccountChange>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every time is stored and read back as UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcTimes.Converter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcTimes.NullableConverter>();
    }

    /// <summary>The mapping, one configuration per aggregate (Data/Configurations), applied in this order.</summary>
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // Audit records raised by aggregates are written to the chain at save time, never mapped themselves.
        builder.Ignore<AuditRecord>();
        builder.ApplyConfiguration(new Configurations.AccountAdministrationConfiguration());
        builder.ApplyConfiguration(new Configurations.PendingAccountChangeConfiguration());

        builder.ApplyConfiguration(new PortalUserConfiguration());
        builder.ApplyConfiguration(new DocumentConfiguration(PublishPendingSql, storedPublishPending: Database.IsNpgsql()));
        builder.ApplyConfiguration(new DocumentSearchConfiguration());
        builder.ApplyConfiguration(new DocumentSearchCodeConfiguration());
        builder.ApplyConfiguration(new DocumentVersionConfiguration());
        builder.ApplyConfiguration(new ReviewThreadConfiguration());
        builder.ApplyConfiguration(new AuditEntryConfiguration());
        builder.ApplyConfiguration(new AuditCheckpointConfiguration());
        builder.ApplyConfiguration(new AuditSigningKeyConfiguration());
        builder.ApplyConfiguration(new SnapshotConfiguration());
        builder.ApplyConfiguration(new RenditionConfiguration());
        builder.ApplyConfiguration(new ScheduledPublishConfiguration());
        builder.ApplyConfiguration(new WithdrawalConfiguration());
        builder.ApplyConfiguration(new WebhookSubscriptionConfiguration());
        builder.ApplyConfiguration(new PresenceBeatConfiguration());
        builder.ApplyConfiguration(new WebhookDeliveryConfiguration());
        builder.ApplyConfiguration(new ReviewLinkConfiguration());
        builder.ApplyConfiguration(new ReaderFeedbackConfiguration());
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    /// <summary>
    /// Every save does four jobs, in this order: refuses changes to frozen records, refreshes the listing
    /// columns of touched documents and their search rows, and chains the save's audit records onto the trail.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        // Changes are detected once here: the jobs read the tracker several times, and each read would detect them
        // again (a fifth of the save of a 1,000-document import batch). EF detects once more before it writes.
        ChangeTracker.DetectChanges();
        var autoDetect = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            FrozenRecordGuard.Check(ChangeTracker);
            var touched = await ListingRefresh.RefreshTouchedAsync(this, cancellationToken);
            await SearchRows.RefreshAsync(this, touched, cancellationToken);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }

        return await _auditChain.SaveAsync(this, token => base.SaveChangesAsync(acceptAllChangesOnSuccess, token), cancellationToken);
    }

    /// <summary>Start-up catch-up after an upgrade that redefined a listing column (<see cref="ListingRefresh.RefreshOutdatedAsync"/>).</summary>
    public Task<int> RefreshOutdatedListingsAsync(CancellationToken cancellationToken = default) =>
        ListingRefresh.RefreshOutdatedAsync(this, cancellationToken);
}
