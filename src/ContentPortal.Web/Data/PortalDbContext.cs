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
        """("RetiredAt" IS NULL AND "LatestApprovedId" IS NOT NULL AND ("PublishedVersionId" IS NULL OR "PublishedVersionId" <> "LatestApprovedId")) OR ("PublishedVersionId" IS NOT NULL AND ("RetiredAt" IS NOT NULL OR "LatestApprovedId" IS NULL))""";

    /// <summary>The snapshot a manifest row stops at (exclusive); null while the row is in the newest snapshot.</summary>
    public const string UntilSnapshot = "UntilSnapshotId";

    /// <summary>Snapshot <paramref name="id"/>'s manifest: the rows that began at or before it and had not ended by it (untracked).</summary>
    public IQueryable<SnapshotEntry> ManifestOf(int id) =>
        Snapshots.AsNoTracking().Where(s => s.Id <= id).SelectMany(s => s.Entries)
            .Where(e => EF.Property<int?>(e, UntilSnapshot) == null || EF.Property<int?>(e, UntilSnapshot) > id);

    /// <summary>The newest snapshot's manifest: the open rows, read through their index (untracked).</summary>
    public IQueryable<SnapshotEntry> CurrentManifest() =>
        Snapshots.AsNoTracking().SelectMany(s => s.Entries).Where(e => EF.Property<int?>(e, UntilSnapshot) == null);

    /// <summary>
    /// Inserts manifest rows as plain SQL, for the publish (its new rows) and copy-database (rows as stored):
    /// EF cannot add owned rows without their snapshot, and its change tracking of 10,000 of them cost more
    /// than the rest of a publish. Returns how many were inserted.
    /// </summary>
    public async Task<int> InsertManifestRowsAsync(IEnumerable<ManifestRow> rows, CancellationToken cancellationToken = default)
    {
        var inserted = 0;
        foreach (var chunk in rows.Chunk(400))
        {
            var sql = new System.Text.StringBuilder("""INSERT INTO "SnapshotEntries" ("SnapshotId", "DocumentId", "VersionId", "VersionNumber", "Kind", "Slug", "Title", "UntilSnapshotId") VALUES """);
            var values = new List<object>(chunk.Length * 8);
            foreach (var (snapshotId, entry, until) in chunk)
            {
                var p = values.Count;
                // An open row's end is spelled NULL: a null parameter has no type for the provider to send.
                sql.Append(p == 0 ? "" : ", ")
                    .Append($"({{{p}}}, {{{p + 1}}}, {{{p + 2}}}, {{{p + 3}}}, {{{p + 4}}}, {{{p + 5}}}, {{{p + 6}}}, {(until is null ? "NULL" : $"{{{p + 7}}}")})");
                values.AddRange([snapshotId, StoredKey(entry.DocumentId), StoredKey(entry.VersionId), entry.VersionNumber, entry.Kind.ToString(), entry.Slug, entry.Title]);
                if (until is { } end)
                {
                    values.Add(end);
                }
            }

            inserted += await Database.ExecuteSqlRawAsync(sql.ToString(), values, cancellationToken);
        }

        return inserted;
    }

    /// <summary>An id as plain SQL must send it: SQLite keeps EF's upper-case text form, others take the Guid.</summary>
    public object StoredKey(Guid id) => Database.IsSqlite() ? id.ToString().ToUpperInvariant() : id;

    public DbSet<ReviewThread> ReviewThreads => Set<ReviewThread>();

    /// <summary>Read it freely; write it only through <see cref="Record"/>, which chains each entry at save time.</summary>
    public DbSet<AuditEntry> AuditTrail => Set<AuditEntry>();

    public DbSet<AuditCheckpoint> AuditCheckpoints => Set<AuditCheckpoint>();

    // The audit records queued with Record, chained onto the trail by each save.
    private readonly AuditChainWriter _auditChain = new();

    /// <summary>
    /// Queues an audit line for something outside the domain (a login, an account change); domain
    /// aggregates record their own. Either way it is chained and stored in the same SaveChanges as the change.
    /// </summary>
    public void Record(AuditRecord record) => _auditChain.Queue(record);

    public DbSet<ScheduledPublish> ScheduledPublishes => Set<ScheduledPublish>();

    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    /// <summary>Editors' heartbeats on open drafts (who else is here); rows expire after a minute.</summary>
    public DbSet<Infrastructure.PresenceBeat> PresenceBeats => Set<Infrastructure.PresenceBeat>();

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

        builder.ApplyConfiguration(new PortalUserConfiguration());
        builder.ApplyConfiguration(new DocumentConfiguration(PublishPendingSql, storedPublishPending: Database.IsNpgsql()));
        builder.ApplyConfiguration(new DocumentSearchConfiguration());
        builder.ApplyConfiguration(new DocumentVersionConfiguration());
        builder.ApplyConfiguration(new ReviewThreadConfiguration());
        builder.ApplyConfiguration(new AuditEntryConfiguration());
        builder.ApplyConfiguration(new AuditCheckpointConfiguration());
        builder.ApplyConfiguration(new SnapshotConfiguration());
        builder.ApplyConfiguration(new RenditionConfiguration());
        builder.ApplyConfiguration(new ScheduledPublishConfiguration());
        builder.ApplyConfiguration(new WebhookSubscriptionConfiguration());
        builder.ApplyConfiguration(new PresenceBeatConfiguration());
        builder.ApplyConfiguration(new WebhookDeliveryConfiguration());
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    /// <summary>
    /// Every save does four jobs, in this order: refuses changes to frozen records, refreshes the listing
    /// columns of touched documents and their search rows, and chains the save's audit records onto the trail.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        FrozenRecordGuard.Check(ChangeTracker);
        var touched = await ListingRefresh.RefreshTouchedAsync(this, cancellationToken);
        await SearchRows.RefreshAsync(this, touched, cancellationToken);
        return await _auditChain.SaveAsync(this, token => base.SaveChangesAsync(acceptAllChangesOnSuccess, token), cancellationToken);
    }

    /// <summary>Start-up catch-up after an upgrade that redefined a listing column (<see cref="ListingRefresh.RefreshOutdatedAsync"/>).</summary>
    public Task<int> RefreshOutdatedListingsAsync(CancellationToken cancellationToken = default) =>
        ListingRefresh.RefreshOutdatedAsync(this, cancellationToken);
}

/// <summary>One stored manifest row: a document's entry from snapshot <paramref name="SnapshotId"/> until <paramref name="UntilSnapshotId"/> (null: still open).</summary>
public sealed record ManifestRow(int SnapshotId, SnapshotEntry Entry, int? UntilSnapshotId);
