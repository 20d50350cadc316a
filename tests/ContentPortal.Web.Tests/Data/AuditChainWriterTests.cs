using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Data;

/// <summary>
/// The fourth save-time job on its own: queued records are chained onto the trail in the save; a save that
/// fails stores nothing and keeps them queued, so the next save chains them afresh; a save that lost its
/// sequence number to another writer chains again after that writer's entry; and that clash, as the database
/// words it, is told apart from other failures (the retry's cue).
/// </summary>
public sealed class AuditChainWriterTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Queued_records_are_chained_in_the_save_and_the_queue_empties()
    {
        var mark = await LastSequenceAsync();
        var writer = new AuditChainWriter();
        writer.Queue(Record("chain-writer-1"));
        writer.Queue(Record("chain-writer-2"));

        var saved = await factory.WithDbAsync(db => writer.SaveAsync(db, db.SaveChangesAsync));

        Assert.Equal(2, saved);
        Assert.Empty(writer.Queued);
        var entries = await EntriesAfterAsync(mark);
        Assert.Equal(["chain-writer-1", "chain-writer-2"], entries.Select(e => e.Details));
        Assert.Equal([mark + 1, mark + 2], entries.Select(e => e.Sequence));
        Assert.Null(AuditChain.Verify(await factory.WithDbAsync(db => db.AuditTrail.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync())));
    }

    [Fact]
    public async Task A_failed_save_stores_nothing_and_the_next_save_chains_the_records_afresh()
    {
        await factory.WithDbAsync(async db =>
        {
            db.Documents.Add(Document.Create(DocumentKind.Article, "chain-writer-taken", new VersionContent("Taken", "Summary.", "Body.", []), TestActors.Editor, factory.Now));
            await db.SaveChangesAsync();
        });
        var mark = await LastSequenceAsync();

        await factory.WithDbAsync(async db =>
        {
            var twin = Document.Create(DocumentKind.Article, "chain-writer-taken", new VersionContent("Twin", "Summary.", "Body.", []), TestActors.Editor, factory.Now);
            db.Documents.Add(twin);
            db.Record(Record("chain-writer-after-failure"));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            Assert.Empty(db.ChangeTracker.Entries<AuditEntry>());
            Assert.Equal(mark, await db.AuditTrail.MaxAsync(e => e.Sequence));

            db.Entry(twin).State = EntityState.Detached;
            foreach (var version in twin.Versions)
            {
                db.Entry(version).State = EntityState.Detached;
            }

            await db.SaveChangesAsync();
        });

        var entry = Assert.Single(await EntriesAfterAsync(mark));
        Assert.Equal(("chain-writer-after-failure", mark + 1), (entry.Details, entry.Sequence));
    }

    [Fact]
    public async Task A_save_that_lost_its_sequence_to_another_writer_chains_after_that_writers_entry()
    {
        var mark = await LastSequenceAsync();
        var writer = new AuditChainWriter();
        writer.Queue(Record("chain-writer-retried"));
        var attempts = 0;

        await factory.WithDbAsync(db => writer.SaveAsync(db, async token =>
        {
            if (++attempts == 1)
            {
                // Another writer stores the next entry after this save read the last one (inside its
                // transaction, before EF's savepoint, so it stays when the failed attempt is rolled back).
                var last = await db.AuditTrail.AsNoTracking().OrderByDescending(e => e.Sequence).FirstAsync(token);
                var theirs = AuditChain.Append(last, [Record("chain-writer-other") with { At = WholeSecond(factory.Now) }])[0];
                await db.Database.ExecuteSqlInterpolatedAsync(
                    $"""INSERT INTO "AuditTrail" ("Sequence", "At", "ActorId", "ActorName", "Action", "Subject", "Details", "PreviousHash", "Hash") VALUES ({theirs.Sequence}, {theirs.At}, {theirs.ActorId}, {theirs.ActorName}, {theirs.Action}, {theirs.Subject}, {theirs.Details}, {theirs.PreviousHash}, {theirs.Hash})""",
                    token);
            }

            return await db.SaveChangesAsync(token);
        }));

        Assert.Equal(2, attempts);
        Assert.Empty(writer.Queued);
        var entries = await EntriesAfterAsync(mark);
        Assert.Equal([("chain-writer-other", mark + 1), ("chain-writer-retried", mark + 2)], entries.Select(e => (e.Details, e.Sequence)));
        Assert.Null(AuditChain.Verify(await factory.WithDbAsync(db => db.AuditTrail.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync())));
    }

    [Fact]
    public async Task A_taken_sequence_number_is_a_collision_and_a_taken_slug_is_not()
    {
        var collision = await factory.WithDbAsync(async db =>
        {
            var last = await db.AuditTrail.AsNoTracking().OrderByDescending(e => e.Sequence).FirstAsync();
            db.AuditTrail.Add(AuditEntry.Stored(last.Sequence, last.At, last.ActorId, last.ActorName, last.Action, last.Subject, last.Details, last.PreviousHash, last.Hash));
            return await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        });
        var taken = await factory.WithDbAsync(async db =>
        {
            var slug = (await db.Documents.AsNoTracking().FirstAsync()).Slug;
            db.Documents.Add(Document.Create(DocumentKind.Article, slug, new VersionContent("Twin", "Summary.", "Body.", []), TestActors.Editor, factory.Now));
            return await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        });

        Assert.True(AuditChainWriter.IsSequenceCollision(collision));
        Assert.False(AuditChainWriter.IsSequenceCollision(taken));
    }

    private AuditRecord Record(string details) =>
        AuditRecord.By(TestActors.Editor, factory.Now, AuditActions.Logout, $"user:{TestActors.Editor.UserId}", details);

    // Stored times keep whole microseconds; a whole second reads back exactly, so the other writer's hash holds.
    private static DateTime WholeSecond(DateTime at) => new(at.Ticks - at.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    private Task<long> LastSequenceAsync() =>
        factory.WithDbAsync(db => db.AuditTrail.MaxAsync(e => e.Sequence));

    private Task<List<AuditEntry>> EntriesAfterAsync(long sequence) =>
        factory.WithDbAsync(db => db.AuditTrail.AsNoTracking().Where(e => e.Sequence > sequence).OrderBy(e => e.Sequence).ToListAsync());
}
