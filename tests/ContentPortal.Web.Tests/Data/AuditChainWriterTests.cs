using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Data;

/// <summary>
/// The fourth save-time job on its own: queued records are chained onto the trail in the save; a save that
/// fails stores nothing and keeps them queued, so the next save chains them afresh; and another writer's
/// sequence number, as the database words the clash, is told apart from other failures (the retry's cue).
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

    private Task<long> LastSequenceAsync() =>
        factory.WithDbAsync(db => db.AuditTrail.MaxAsync(e => e.Sequence));

    private Task<List<AuditEntry>> EntriesAfterAsync(long sequence) =>
        factory.WithDbAsync(db => db.AuditTrail.AsNoTracking().Where(e => e.Sequence > sequence).OrderBy(e => e.Sequence).ToListAsync());
}
