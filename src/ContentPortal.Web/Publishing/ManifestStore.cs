using ContentPortal.Domain;
using ContentPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Publishing;

/// <summary>
/// The stored manifests, and all the SQL that reads and writes them. A manifest row lasts from the
/// snapshot that wrote it until one that changes or removes its document (<see cref="PortalDbContext.UntilSnapshot"/>,
/// null while open), so a publish writes only the entries that differ and closes the rows they replace:
/// the statements and the rows touched grow with the change, not with the corpus or the history.
/// </summary>
public static class ManifestStore
{
    /// <summary>Snapshot <paramref name="id"/>'s manifest: the rows that began at or before it and had not ended by it (untracked).</summary>
    public static IQueryable<SnapshotEntry> ManifestOf(this PortalDbContext db, int id) =>
        db.Snapshots.AsNoTracking().Where(s => s.Id <= id).SelectMany(s => s.Entries)
            .Where(e => EF.Property<int?>(e, PortalDbContext.UntilSnapshot) == null || EF.Property<int?>(e, PortalDbContext.UntilSnapshot) > id);

    /// <summary>The newest snapshot's manifest: the open rows, read through their index (untracked).</summary>
    public static IQueryable<SnapshotEntry> CurrentManifest(this PortalDbContext db) =>
        db.Snapshots.AsNoTracking().SelectMany(s => s.Entries).Where(e => EF.Property<int?>(e, PortalDbContext.UntilSnapshot) == null);

    /// <summary>
    /// Inserts manifest rows as plain SQL, for the publish (its new rows) and copy-database (rows as stored):
    /// EF cannot add owned rows without their snapshot, and its change tracking of 10,000 of them cost more
    /// than the rest of a publish. Returns how many were inserted.
    /// </summary>
    public static async Task<int> InsertManifestRowsAsync(this PortalDbContext db, IEnumerable<ManifestRow> rows, CancellationToken cancellationToken = default)
    {
        var inserted = 0;
        // At most 10 values a row: 250 rows stay within the smallest parameter limit the tests run SQLite with (3,000).
        foreach (var chunk in rows.Chunk(250))
        {
            var sql = new System.Text.StringBuilder("""INSERT INTO "SnapshotEntries" ("SnapshotId", "DocumentId", "VersionId", "VersionNumber", "Kind", "Slug", "Title", "PeriodicReviews", "ReviewOverdue", "UntilSnapshotId") VALUES """);
            var values = new List<object>(chunk.Length * 10);
            foreach (var (snapshotId, entry, until) in chunk)
            {
                var p = values.Count;
                // An open row's end is spelled NULL: a null parameter has no type for the provider to send.
                sql.Append(p == 0 ? "" : ", ")
                    .Append($"({{{p}}}, {{{p + 1}}}, {{{p + 2}}}, {{{p + 3}}}, {{{p + 4}}}, {{{p + 5}}}, {{{p + 6}}}, {{{p + 7}}}, {{{p + 8}}}, {(until is null ? "NULL" : $"{{{p + 9}}}")})");
                values.AddRange([snapshotId, db.StoredKey(entry.DocumentId), db.StoredKey(entry.VersionId), entry.VersionNumber, entry.Kind.ToString(), entry.Slug, entry.Title, entry.PeriodicReviews, entry.ReviewOverdue]);
                if (until is { } end)
                {
                    values.Add(end);
                }
            }

            inserted += await db.Database.ExecuteSqlRawAsync(sql.ToString(), values, cancellationToken);
        }

        return inserted;
    }

    /// <summary>An id as plain SQL must send it: SQLite keeps EF's upper-case text form, others take the Guid.</summary>
    public static object StoredKey(this PortalDbContext db, Guid id) => db.Database.IsSqlite() ? id.ToString().ToUpperInvariant() : id;

    /// <summary>
    /// Inserts a snapshot's header and the manifest rows it changes as plain SQL: at 10,000 entries, EF's
    /// change tracking of the owned rows cost more than everything else in the publish. Runs inside the
    /// publish transaction, with <paramref name="written"/> and <paramref name="closed"/> planned against the
    /// newest snapshot (checked under the publish lock).
    /// </summary>
    public static async Task InsertSnapshotAsync(this PortalDbContext db, Snapshot snapshot, IReadOnlyList<SnapshotEntry> written, IReadOnlyList<Guid> closed, CancellationToken cancellationToken)
    {
        // Only values are parameters; the statement's text is fixed (NULL spelled out, as a null parameter has no type).
        var header = snapshot.RepublishedFromId is null
            ? """INSERT INTO "Snapshots" ("Id", "PublishedAt", "PublishedById", "PublishedByName", "Note", "ETag", "DocumentCount", "AuditHeadSequence", "AuditHeadHash", "AuditHeadSignedAt", "AuditHeadKeyId", "AuditHeadSignature", "AuditHeadBackfilled", "RepublishedFromId") VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}, {10}, {11}, {12}, NULL)"""
            : """INSERT INTO "Snapshots" ("Id", "PublishedAt", "PublishedById", "PublishedByName", "Note", "ETag", "DocumentCount", "AuditHeadSequence", "AuditHeadHash", "AuditHeadSignedAt", "AuditHeadKeyId", "AuditHeadSignature", "AuditHeadBackfilled", "RepublishedFromId") VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}, {10}, {11}, {12}, {13})""";
        var values = new object[] { snapshot.Id, snapshot.PublishedAt, snapshot.PublishedById, snapshot.PublishedByName, snapshot.Note, snapshot.ETag, snapshot.DocumentCount, snapshot.AuditHeadSequence!.Value, snapshot.AuditHeadHash!, snapshot.AuditHeadSignedAt!.Value, snapshot.AuditHeadKeyId!, snapshot.AuditHeadSignature!, false, snapshot.RepublishedFromId ?? 0 };
        await db.Database.ExecuteSqlRawAsync(header, values.Take(snapshot.RepublishedFromId is null ? 13 : 14), cancellationToken);

        foreach (var chunk in closed.Chunk(500))
        {
            var close = new System.Text.StringBuilder("""UPDATE "SnapshotEntries" SET "UntilSnapshotId" = {0} WHERE "UntilSnapshotId" IS NULL AND "DocumentId" IN (""")
                .AppendJoin(", ", chunk.Select((_, i) => $"{{{i + 1}}}")).Append(')');
            await db.Database.ExecuteSqlRawAsync(close.ToString(), chunk.Select(db.StoredKey).Prepend(snapshot.Id), cancellationToken);
        }

        await db.InsertManifestRowsAsync(written.Select(entry => new ManifestRow(snapshot.Id, entry, null)), cancellationToken);
    }

    /// <summary>
    /// The changed documents' published version, from the newest manifest, in the publish transaction
    /// (unchanged ones keep theirs): this keeps <c>PublishedVersionId</c> equal to the newest manifest.
    /// </summary>
    public static async Task MarkPublishedAsync(this PortalDbContext db, IEnumerable<Guid> changedDocuments, CancellationToken cancellationToken)
    {
        foreach (var chunk in changedDocuments.Chunk(500))
        {
            // A removed document has no entry: its published version becomes null.
            await db.Documents.Where(d => chunk.Contains(d.Id)).ExecuteUpdateAsync(set => set
                .SetProperty(
                    d => d.PublishedVersionId,
                    d => db.CurrentManifest().Where(e => e.DocumentId == d.Id).Select(e => (Guid?)e.VersionId).FirstOrDefault())
                .SetProperty(
                    d => d.PublishedPeriodicReviews,
                    d => db.CurrentManifest().Where(e => e.DocumentId == d.Id).Select(e => e.PeriodicReviews).FirstOrDefault())
                .SetProperty(
                    d => d.PublishedReviewOverdue,
                    d => db.CurrentManifest().Where(e => e.DocumentId == d.Id).Select(e => e.ReviewOverdue).FirstOrDefault()),
                cancellationToken);
        }
    }
}

/// <summary>One stored manifest row: a document's entry from snapshot <paramref name="SnapshotId"/> until <paramref name="UntilSnapshotId"/> (null: still open).</summary>
public sealed record ManifestRow(int SnapshotId, SnapshotEntry Entry, int? UntilSnapshotId);
