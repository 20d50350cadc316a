using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Data;

/// <summary>
/// The first save-time job on its own, over rows of a real database: what was signed, published or
/// audited is refused by its sentence, while what may still change (a draft's content, a submitted
/// version's workflow columns, a rendition's row) passes.
/// </summary>
public sealed class FrozenRecordGuardTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task A_submitted_versions_content_and_signatures_are_refused_but_its_workflow_columns_are_not()
    {
        var document = await factory.CreateApprovedArticleAsync("frozen-guard-approved", "Frozen guard", "Body text of the frozen guard article.");
        await factory.WithDbAsync(async db =>
        {
            var version = await db.Versions.SingleAsync(v => v.Id == document.Latest.Id);
            db.Entry(version).Property(v => v.Revision).CurrentValue = version.Revision + 1;
            FrozenRecordGuard.Check(db.ChangeTracker);

            db.Entry(version).Property(v => v.Title).CurrentValue = "Changed after signing";
            Assert.Equal("This version has been submitted; its content can no longer change.", Refused(db).Message);
            db.ChangeTracker.Clear();

            var signed = await db.Versions.SingleAsync(v => v.Id == document.Latest.Id);
            db.Entry(Assert.Single(signed.Approvals)).State = EntityState.Deleted;
            Assert.Equal("A signature is never changed or removed.", Refused(db).Message);
        });
    }

    [Fact]
    public async Task A_drafts_content_may_change()
    {
        var id = await factory.WithDbAsync(async db =>
        {
            var document = Document.Create(DocumentKind.Article, "frozen-guard-draft", new VersionContent("Draft", "Summary.", "Body.", []), TestActors.Editor, factory.Now);
            db.Documents.Add(document);
            await db.SaveChangesAsync();
            return document.Latest.Id;
        });

        await factory.WithDbAsync(async db =>
        {
            var draft = await db.Versions.SingleAsync(v => v.Id == id);
            db.Entry(draft).Property(v => v.Title).CurrentValue = "Draft, retitled";
            FrozenRecordGuard.Check(db.ChangeTracker);
        });
    }

    [Fact]
    public async Task Snapshots_audit_entries_and_removing_a_rendition_are_refused()
    {
        await factory.CreateApprovedArticleAsync("frozen-guard-published", "Frozen guard published", "Body text of the published article.");
        await factory.PublishAsync("Frozen guard");
        await factory.WithDbAsync(async db =>
        {
            var snapshot = await db.Snapshots.OrderByDescending(s => s.Id).FirstAsync();
            db.Entry(snapshot).Property(s => s.ETag).CurrentValue = "\"changed\"";
            Assert.Equal("Published snapshots never change.", Refused(db).Message);
            db.ChangeTracker.Clear();

            db.AuditTrail.Remove(await db.AuditTrail.OrderBy(e => e.Sequence).FirstAsync());
            Assert.Equal("The audit trail is append-only; entries are never changed or removed.", Refused(db).Message);
            db.ChangeTracker.Clear();

            var rendition = await db.Renditions.FirstAsync();
            db.Entry(rendition).State = EntityState.Modified;
            FrozenRecordGuard.Check(db.ChangeTracker);
            db.Renditions.Remove(rendition);
            Assert.Equal("A published rendition never changes.", Refused(db).Message);
        });
    }

    private static RefusedException Refused(PortalDbContext db) =>
        Assert.Throws<RefusedException>(() => FrozenRecordGuard.Check(db.ChangeTracker));
}
