using ContentPortal.Domain;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

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

    // How often a save whose audit sequence collided with another writer's chains afresh and tries again.
    private const int AuditAttempts = 8;

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

    /// <summary>Editors' heartbeats on open drafts (who else is here); rows expire after a minute.</summary>
    public DbSet<Infrastructure.PresenceBeat> PresenceBeats => Set<Infrastructure.PresenceBeat>();

    public DbSet<AccountAdministration> AccountAdministrations => Set<AccountAdministration>();

    public DbSet<PendingAccountChange> PendingAccountChanges => Set<PendingAccountChange>();

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
        builder.ApplyConfiguration(new Configurations.AccountAdministrationConfiguration());
        builder.ApplyConfiguration(new Configurations.PendingAccountChangeConfiguration());

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
            // The listing (Document.RefreshListing): lists sort, filter and page on these, never on versions.
            document.Property(d => d.LatestStatus).HasConversion<string>().HasMaxLength(20);
            document.Property(d => d.LatestTitle).HasMaxLength(VersionContent.MaxTitleLength);
            document.HasIndex(d => new { d.LatestTitle, d.Id });
            document.HasIndex(d => d.LatestUpdatedAt);
            document.HasIndex(d => d.LatestStatus);
            document.HasIndex(d => d.ListedReviewDue);
            document.HasIndex(d => d.ListedEvidenceDue);
            document.HasIndex(d => d.ListingRevision);
            document.HasIndex(d => d.LatestApprovedId);
            document.HasIndex(d => d.PublishedVersionId);
            // PostgreSQL (before 18) has stored generated columns only; SQLite adds a virtual one without rebuilding the table.
            document.Property<bool>(PublishPending).HasComputedColumnSql(PublishPendingSql, stored: Database.IsNpgsql());
            document.HasIndex(PublishPending).HasFilter($"\"{PublishPending}\"");
            document.Navigation(d => d.Versions).AutoInclude();
        });

        builder.Entity<DocumentSearch>(search =>
        {
            search.ToTable("DocumentSearch");
            search.HasKey(s => s.Id);
            search.HasIndex(s => s.DocumentId).IsUnique();
            search.HasOne<Document>().WithOne().HasForeignKey<DocumentSearch>(s => s.DocumentId).OnDelete(DeleteBehavior.Cascade);
            search.Property(s => s.Text).HasMaxLength(DocumentSearch.MaxTextLength);
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
            version.Property(v => v.Codes).HasConversion(CodesColumn.Converter, CodesColumn.Comparer);
            version.OwnsMany(v => v.Approvals, approval =>
            {
                OwnedRows(approval, "Approvals", "VersionId");
                approval.Property(a => a.Kind).HasConversion<string>().HasMaxLength(20);
                approval.Property(a => a.ContentHash).HasMaxLength(80);
                approval.Property(a => a.ReadabilityReason).HasMaxLength(SigningAnswers.MaxReasonLength);
            });
            version.OwnsMany(v => v.EvidenceChecks, check =>
            {
                OwnedRows(check, "EvidenceChecks", "VersionId");
                check.Property(c => c.Source).HasMaxLength(ReferenceInput.MaxSourceLength);
                check.Property(c => c.Link).HasMaxLength(ReferenceInput.MaxLinkLength);
                check.Property(c => c.Reason).HasMaxLength(SigningAnswers.MaxReasonLength);
            });
            version.OwnsMany(v => v.Flags, flag =>
            {
                OwnedRows(flag, "RedFlags", "VersionId");
                flag.Property(f => f.Urgency).HasConversion<string>().HasMaxLength(20);
                flag.Property(f => f.Codes).HasConversion(CodesColumn.Converter, CodesColumn.Comparer);
            });
            version.OwnsMany(v => v.References, reference =>
            {
                OwnedRows(reference, "ArticleReferences", "VersionId");
                reference.Property(r => r.Source).HasMaxLength(ReferenceInput.MaxSourceLength);
                reference.Property(r => r.Link).HasMaxLength(ReferenceInput.MaxLinkLength);
                reference.Property(r => r.Section).HasMaxLength(ReferenceInput.MaxSectionLength);
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
            snapshot.Property(s => s.AuditHeadHash).HasMaxLength(80);
            snapshot.Property<byte[]?>(LegacyFeedJson).HasColumnName("FeedJson");
            snapshot.OwnsMany(s => s.Entries, entry =>
            {
                // A row is one document's entry from snapshot "SnapshotId" until (not including) snapshot
                // "UntilSnapshotId" (null: still in the newest). A publish writes rows only for what changed
                // and closes the rows it replaces, so its cost follows the change, not the corpus (issue 9).
                OwnedRows(entry, "SnapshotEntries", "SnapshotId");
                entry.Property(e => e.Kind).HasConversion<string>().HasMaxLength(20);
                entry.Property<int?>(UntilSnapshot);
                entry.HasIndex(e => e.DocumentId);
                entry.HasIndex(UntilSnapshot, nameof(SnapshotEntry.DocumentId));
                // At most one open row per document: the newest manifest names each document once, whatever
                // a publish (or a bug in one) tries to write.
                entry.HasIndex([nameof(SnapshotEntry.DocumentId)], "IX_SnapshotEntries_OpenDocument")
                    .IsUnique().HasFilter("\"UntilSnapshotId\" IS NULL");
            });
            // Loading a snapshot never loads rows by "SnapshotId" alone (that is only what changed in it):
            // read a manifest through ManifestOf / CurrentManifest.
            snapshot.Navigation(s => s.Entries).AutoInclude(false);
            // Known only while publishing (the same entries in feed order, and the edit that made them).
            snapshot.Ignore(s => s.InFeedOrder);
            snapshot.Ignore(s => s.Edit);
        });

        builder.Entity<Feed.Rendition>(rendition =>
        {
            rendition.HasKey(r => r.VersionId);
            rendition.Property(r => r.VersionId).ValueGeneratedNever();
            rendition.Property(r => r.Slug).HasMaxLength(Slug.MaxLength);
            rendition.HasIndex(r => r.DocumentId);
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

        builder.Entity<Infrastructure.PresenceBeat>(beat =>
        {
            beat.HasKey(b => new { b.DocumentId, b.UserId });
            beat.Property(b => b.UserId).HasMaxLength(450);
            beat.Property(b => b.Name).HasMaxLength(200);
            beat.HasIndex(b => b.LastSeen);
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
        await RefreshListingsAsync(cancellationToken);
        var aggregates = ChangeTracker.Entries<Aggregate>().Select(e => e.Entity).Where(a => a.AuditEvents.Count > 0).ToList();
        var records = aggregates.SelectMany(a => a.AuditEvents).Concat(_pendingAudit).OrderBy(r => r.Order).ToList();
        if (records.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        // No process-wide gate (it was held while waiting for SQLite's write lock, which a publish held
        // while waiting for the gate). The chain is extended inside the write transaction instead: on
        // SQLite that transaction holds the database's one write lock (BEGIN IMMEDIATE), so the last entry
        // read in it stays the last; elsewhere (PostgreSQL, several processes) two writers can read the same
        // last entry, and the loser's insert fails on the unique Sequence, so it chains afresh and retries.
        var ownTransaction = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        await using var _ = ownTransaction;
        for (var attempt = 1; ; attempt++)
        {
            IReadOnlyList<AuditEntry> chained = [];
            try
            {
                await LockAuditChainAsync(cancellationToken);
                var last = await AuditTrail.AsNoTracking().OrderByDescending(e => e.Sequence).FirstOrDefaultAsync(cancellationToken);
                chained = AuditChain.Append(last, records);
                AuditTrail.AddRange(chained);
                // Inside a transaction EF sets a savepoint first and rolls back to it on failure, so a retry starts clean.
                var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
                if (ownTransaction is not null)
                {
                    await ownTransaction.CommitAsync(cancellationToken);
                }

                _pendingAudit.Clear();
                aggregates.ForEach(a => a.ClearAuditEvents());
                return saved;
            }
            catch (Exception exception) when (exception is DbUpdateException or InvalidOperationException)
            {
                // Nothing was stored: un-track the chained entries so a retry (ours or the caller's) chains afresh.
                foreach (var entry in chained)
                {
                    Entry(entry).State = EntityState.Detached;
                }

                if (attempt >= AuditAttempts || !IsAuditSequenceCollision(exception))
                {
                    throw;
                }

                await Task.Delay(Random.Shared.Next(5, 20 * attempt), cancellationToken);
            }
        }
    }

    /// <summary>
    /// Keeps every touched document's listing columns true to its versions, in the same save: documents
    /// tracked here, and the documents of versions changed without theirs (loaded for the purpose).
    /// </summary>
    private async Task RefreshListingsAsync(CancellationToken cancellationToken)
    {
        var documents = ChangeTracker.Entries<Document>().Where(e => e.State != EntityState.Deleted).Select(e => e.Entity).ToList();
        var known = documents.Select(d => d.Id).ToHashSet();
        // A version counts as changed when its own row or one of its owned rows (approvals, evidence checks…) is.
        var changedVersionIds = ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
                && e.Metadata.FindOwnership()?.PrincipalEntityType.ClrType == typeof(DocumentVersion))
            .Select(e => e.Property("VersionId").CurrentValue).OfType<Guid>().ToHashSet();
        var orphans = ChangeTracker.Entries<DocumentVersion>()
            .Where(e => (e.State is EntityState.Added or EntityState.Modified || changedVersionIds.Contains(e.Entity.Id)) && !known.Contains(e.Entity.DocumentId))
            .Select(e => e.Entity.DocumentId).Distinct().ToList();
        if (orphans.Count > 0)
        {
            // In chunks: one IN list per query must stay within the databases' parameter limits (SQLite: 32,766).
            foreach (var chunk in orphans.Chunk(500))
            {
                documents.AddRange(await Documents.Where(d => chunk.Contains(d.Id)).ToListAsync(cancellationToken));
            }
        }

        foreach (var document in documents)
        {
            document.RefreshListing();
        }

        await RefreshSearchAsync(documents, cancellationToken);
    }

    /// <summary>
    /// After an upgrade that added or redefined a listing column (<see cref="Document.CurrentListingRevision"/>):
    /// recomputes the older rows through the domain, a batch at a time. Runs at start-up under the migration
    /// lock; on an up-to-date database it is one indexed query that finds nothing.
    /// </summary>
    public async Task<int> RefreshOutdatedListingsAsync(CancellationToken cancellationToken = default)
    {
        var refreshed = 0;
        while (true)
        {
            var batch = await Documents.Where(d => d.ListingRevision < Document.CurrentListingRevision && d.Versions.Any())
                .OrderBy(d => d.Id).Take(200).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return refreshed;
            }

            // SaveChanges refreshes the listing of every document it tracks (RefreshListingsAsync), these included.
            await SaveChangesAsync(cancellationToken);
            ChangeTracker.Clear();
            refreshed += batch.Count;
        }
    }

    /// <summary>The search row of each touched document follows its latest version (one indexed read per save).</summary>
    private async Task RefreshSearchAsync(List<Document> documents, CancellationToken cancellationToken)
    {
        var texts = documents.Where(d => d.Versions.Count > 0).ToDictionary(d => d.Id, d => DocumentSearch.TextOf(d.Latest));
        if (texts.Count == 0)
        {
            return;
        }

        // In chunks: an import of 50,000 documents is one save, beyond SQLite's 32,766 parameters in one IN list.
        var rows = new Dictionary<Guid, DocumentSearch>(texts.Count);
        foreach (var chunk in texts.Keys.Chunk(500))
        {
            foreach (var row in await DocumentSearches.Where(s => chunk.Contains(s.DocumentId)).ToListAsync(cancellationToken))
            {
                rows[row.DocumentId] = row;
            }
        }

        foreach (var (documentId, text) in texts)
        {
            if (!rows.TryGetValue(documentId, out var row))
            {
                DocumentSearches.Add(new DocumentSearch { DocumentId = documentId, Text = text });
            }
            else if (row.Text != text)
            {
                row.Text = text;
            }
        }
    }

    /// <summary>
    /// Taken inside the write transaction before the last audit entry is read. SQLite needs nothing (the
    /// transaction already holds the write lock); on PostgreSQL several instances write, so appends take
    /// an advisory transaction lock and queue instead of colliding (the sequence retry stays as a backstop).
    /// </summary>
    private Task LockAuditChainAsync(CancellationToken cancellationToken) =>
        Database.IsNpgsql()
            ? Infrastructure.ClusterLocks.InTransactionAsync(Database, Infrastructure.ClusterLocks.Audit, cancellationToken)
            : Task.CompletedTask;

    /// <summary>Another writer took the same audit sequence number first (SQLite, PostgreSQL wording).</summary>
    private static bool IsAuditSequenceCollision(Exception exception)
    {
        var message = exception.InnerException?.Message ?? exception.Message;
        return message.Contains("AuditTrail", StringComparison.OrdinalIgnoreCase)
            && (message.Contains("UNIQUE", StringComparison.OrdinalIgnoreCase) || message.Contains("duplicate key", StringComparison.OrdinalIgnoreCase));
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
                case Feed.Rendition when entry.State == EntityState.Deleted:
                    throw new RefusedException("A published rendition never changes.");
                case AuditEntry:
                    throw new RefusedException("The audit trail is append-only; entries are never changed or removed.");
                case Approval:
                    throw new RefusedException("A signature is never changed or removed.");
                case EvidenceCheck:
                    throw new RefusedException("An evidence check is part of a signature; it is never changed or removed.");
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
        [nameof(DocumentVersion.Title), nameof(DocumentVersion.Summary), nameof(DocumentVersion.BodyMarkdown), nameof(DocumentVersion.Codes), nameof(DocumentVersion.ContentHash)];

    private static bool IsFrozen(EntityEntry entry) =>
        entry.OriginalValues[nameof(DocumentVersion.Status)] is VersionStatus status && status != VersionStatus.Draft;

    private static bool ContentChanged(EntityEntry entry) => ContentProperties.Any(p => entry.Property(p).IsModified);

    private bool OwnerFrozen(EntityEntry flagEntry)
    {
        var versionId = flagEntry.Property("VersionId").OriginalValue;
        var owner = ChangeTracker.Entries<DocumentVersion>().FirstOrDefault(v => Equals(v.Entity.Id, versionId));
        return owner is not null && IsFrozen(owner);
    }

    // Stored as UTC in whole microseconds on every provider (PostgreSQL's precision), so a time reads back
    // the same from SQLite and PostgreSQL.
    private static DateTime ToStored(DateTime v)
    {
        var utc = v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime();
        return new DateTime(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => ToStored(v),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v.HasValue ? ToStored(v.Value) : v,
        v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);
}

/// <summary>One stored manifest row: a document's entry from snapshot <paramref name="SnapshotId"/> until <paramref name="UntilSnapshotId"/> (null: still open).</summary>
public sealed record ManifestRow(int SnapshotId, SnapshotEntry Entry, int? UntilSnapshotId);
