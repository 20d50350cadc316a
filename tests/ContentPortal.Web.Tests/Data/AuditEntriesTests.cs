using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Data;

/// <summary>
/// The audit lines aggregates raise are written by the DbContext in the same save as the change: a
/// signature and a publish produce exactly the entries they did when pages wrote them, and restoring
/// and slug changes (once unaudited) are recorded too.
/// </summary>
public sealed class AuditEntriesTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task A_signature_and_a_publish_write_the_same_entries_as_before()
    {
        var document = await factory.DocumentAsync("spinal-tumor");
        using var editor = await factory.LoginAsync(PortalFactory.Editor);
        await editor.SubmitAsync(document.Id, "Audit the sign-off.");
        var version = (await factory.DocumentAsync(document.Id)).Latest;
        var mark = await LastSequenceAsync();

        using var reviewer = await factory.LoginAsync(PortalFactory.Reviewer);
        await reviewer.ApproveAsync(version.Id);
        using var publisher = await factory.LoginAsync(PortalFactory.Publisher);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await publisher.PublishAsync("Audited publish")).StatusCode);

        var approved = (await factory.DocumentAsync(document.Id)).Latest;
        var snapshot = await factory.WithDbAsync(db => db.Snapshots.AsNoTracking().OrderByDescending(s => s.Id).FirstAsync());
        var entries = (await EntriesAfterAsync(mark)).Where(e => !e.Action.StartsWith("login", StringComparison.Ordinal)).ToList();

        var signature = Assert.Single(approved.Approvals);
        // Issue 12: above the reading-age target (12) the line also names the figure and the signer's reason.
        var readingAge = ClinicalQuality.Measure(approved).ReadingAge;
        Assert.True(readingAge > 12);
        Assert.Equal(
            [
                (AuditActions.VersionSigned, "Dr Rhea Reviewer", $"version:{approved.Id}",
                    $"Signed version {approved.Number} of \"{approved.Title}\" as Reviewer (Full review): \"{Approval.FullMeaning}\" content {signature.ContentHash}; reading age {readingAge} above target 12, because: {signature.ReadabilityReason}"),
                (AuditActions.VersionApproved, "Dr Rhea Reviewer", $"version:{approved.Id}",
                    $"In review → Approved (1 of 1 signatures); review due {approved.ReviewDue:yyyy-MM-dd}"),
                (AuditActions.SnapshotPublished, "Pat Publisher", $"snapshot:{snapshot.Id}",
                    $"Published snapshot {snapshot.Id}: {snapshot.DocumentCount} documents, 1 changed ({document.Slug} v{approved.Number - 1} → v{approved.Number}) ETag {snapshot.ETag}: Audited publish"),
            ],
            entries.Select(e => (e.Action, e.ActorName, e.Subject, e.Details)).ToList());
        Assert.All(entries.Take(2), e => Assert.Equal(signature.SignedAt, e.At));
        Assert.Equal(snapshot.PublishedAt, entries[2].At);
        Assert.Null(AuditChain.Verify(await factory.WithDbAsync(db => db.AuditTrail.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync())));
    }

    [Fact]
    public async Task Restoring_a_version_and_changing_a_slug_are_audited()
    {
        using var editor = await factory.LoginAsync(PortalFactory.Editor);
        var id = await editor.CreateDocumentAsync("Audit slug change", "audit-slug-change");
        var details = await editor.GetPageAsync($"/Content/Details/{id}");
        var mark = await LastSequenceAsync();

        var renamed = await editor.PostFormAsync(Steps.DetailsUrl(id, "ChangeSlug"), details.Form("form[action*=\"handler=ChangeSlug\"]").Set("slug", "audit-slug-changed"));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, renamed.StatusCode);

        var seed = await factory.DocumentAsync("lower-back-pain-when-lying-down");
        var history = await editor.GetPageAsync($"/Content/Details/{seed.Id}");
        var restored = await editor.PostFormAsync(Steps.DetailsUrl(seed.Id, "Restore"), [new("number", "1")], history.Token);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, restored.StatusCode);

        var entries = await EntriesAfterAsync(mark);
        var slug = Assert.Single(entries, e => e.Action == AuditActions.DocumentSlugChanged);
        Assert.Equal(($"document:{id}", "Slug audit-slug-change → audit-slug-changed", "Erin Editor"), (slug.Subject, slug.Details, slug.ActorName));
        var draft = (await factory.DocumentAsync(seed.Id)).Latest;
        var restore = Assert.Single(entries, e => e.Action == AuditActions.VersionRestored);
        Assert.Equal(($"version:{draft.Id}", $"Restored the text of version 1 as draft version {draft.Number}"), (restore.Subject, restore.Details));
    }

    private Task<long> LastSequenceAsync() =>
        factory.WithDbAsync(db => db.AuditTrail.MaxAsync(e => e.Sequence));

    private Task<List<AuditEntry>> EntriesAfterAsync(long sequence) =>
        factory.WithDbAsync(db => db.AuditTrail.AsNoTracking().Where(e => e.Sequence > sequence).OrderBy(e => e.Sequence).ToListAsync());
}
