using System.Net;
using System.Text.Json;
using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Feed;
using ContentPortal.Web.Publishing;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Feed;

/// <summary>
/// Snapshots as manifests over stored renditions (issue 9): a snapshot lists exactly the planned versions,
/// unchanged items are reused byte for byte, the assembled feed is the contract's serialization, past
/// snapshots are rebuilt identically after a restart, and a portal upgraded from whole stored feeds
/// keeps serving the same bytes.
/// </summary>
public sealed class RenditionsTests : FeedAppTests
{
    private const string Article = "lower-back-pain-when-lying-down";

    [Fact]
    public async Task A_snapshot_lists_exactly_the_planned_versions_and_renders_only_what_changed()
    {
        var renditionsBefore = await app.WithDbAsync(db => db.Renditions.AsNoTracking().ToDictionaryAsync(r => r.VersionId, r => r.Json));
        var first = await client.GetByteArrayAsync("/api/v1/feed");
        var approved = await app.ApproveNewVersionAsync(Article, c => c with { Summary = "Changed once." });

        var plan = await app.WithPublisherAsync(p => p.PlanAsync());
        var snapshot = await app.PublishAsync("One change");

        // Unchanged rows stay where they are (written by earlier snapshots): the manifest read back is exactly the plan.
        Assert.Equal(
            plan.Entries.Select(e => (e.DocumentId, e.VersionId, e.VersionNumber, e.Kind, e.Slug, e.Title)).OrderBy(e => e.DocumentId).ToList(),
            (await app.WithDbAsync(db => db.ManifestOf(snapshot.Id).ToListAsync()))
                .Select(e => (e.DocumentId, e.VersionId, e.VersionNumber, e.Kind, e.Slug, e.Title)).OrderBy(e => e.DocumentId).ToList());
        // The publish wrote one row and closed one: its cost is the change, not the corpus.
        Assert.Equal((1, 1), await WrittenAndClosedAsync(snapshot.Id));
        var changed = Assert.Single(plan.Changes);
        Assert.Equal(approved.Id, changed.Entry.VersionId);

        // One new rendition; every other one untouched, and the feed carries the stored bytes.
        var renditionsAfter = await app.WithDbAsync(db => db.Renditions.AsNoTracking().ToDictionaryAsync(r => r.VersionId, r => r.Json));
        Assert.Equal([approved.Id], renditionsAfter.Keys.Except(renditionsBefore.Keys).ToList());
        Assert.All(renditionsBefore, r => Assert.Equal(r.Value, renditionsAfter[r.Key]));
        var feed = await client.GetByteArrayAsync("/api/v1/feed");
        Assert.Equal(await app.ExpectedFeedAsync(snapshot), feed);
        foreach (var entry in snapshot.Entries)
        {
            Assert.True(Contains(feed, renditionsAfter[entry.VersionId]), $"{entry.Slug}'s stored rendition is not in the feed byte for byte.");
        }

        Assert.Equal(renditionsBefore.Count, CountItems(first));
    }

    [Fact]
    public async Task A_manifest_written_as_a_change_drops_the_retired_and_replaces_the_changed_leaving_the_old_whole()
    {
        var before = await app.WithDbAsync(async db =>
        {
            var id = await db.Snapshots.MaxAsync(s => s.Id);
            return new { Id = id, Entries = await db.ManifestOf(id).Select(e => new { e.DocumentId, e.VersionId, e.Slug, e.Title }).ToListAsync() };
        });
        var approved = await app.ApproveNewVersionAsync(Article, c => c with { Title = "Lower back pain at night" });
        await app.RetireAsync("spinal-tumor");
        var plan = await app.WithPublisherAsync(p => p.PlanAsync());

        var snapshot = await app.PublishAsync("Change and retire");

        Assert.Equal(2, plan.Changes.Count);
        var stored = await app.WithDbAsync(db => db.ManifestOf(snapshot.Id).ToListAsync());
        Assert.Equal((1, 2), await WrittenAndClosedAsync(snapshot.Id));
        Assert.Equal(before.Entries.Count - 1, stored.Count);
        Assert.Equal(
            plan.Entries.Select(e => (e.DocumentId, e.VersionId, e.VersionNumber, e.Kind, e.Slug, e.Title)).OrderBy(e => e.DocumentId).ToList(),
            stored.Select(e => (e.DocumentId, e.VersionId, e.VersionNumber, e.Kind, e.Slug, e.Title)).OrderBy(e => e.DocumentId).ToList());
        Assert.DoesNotContain(stored, e => e.Slug == "spinal-tumor");
        Assert.Contains(stored, e => e.VersionId == approved.Id && e.Title == "Lower back pain at night");
        var previousAfter = await app.WithDbAsync(db => db.ManifestOf(before.Id).Select(e => new { e.DocumentId, e.VersionId, e.Slug, e.Title }).ToListAsync());
        Assert.Equal(before.Entries.OrderBy(e => e.DocumentId), previousAfter.OrderBy(e => e.DocumentId));
        Assert.Equal(await app.ExpectedFeedAsync(snapshot), await client.GetByteArrayAsync("/api/v1/feed"));
    }

    [Fact]
    public async Task The_assembled_feed_is_exactly_the_contract_types_serialized()
    {
        await app.ApproveNewVersionAsync(Article, c => c with { Title = "Assembled \u201cquoted\u201d title" });
        await app.PublishAsync("Contract check");
        var feed = await client.GetByteArrayAsync("/api/v1/feed");

        var typed = JsonSerializer.Deserialize<FeedDocument>(feed, FeedBuilder.Json)!;
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(typed, FeedBuilder.Json), feed);
        Assert.Contains(typed.Articles, a => a.Title == "Assembled \u201cquoted\u201d title");
    }

    [Fact]
    public async Task Past_snapshots_are_rebuilt_from_renditions_byte_for_byte_after_a_restart()
    {
        var first = await client.GetByteArrayAsync("/api/v1/feed");
        await app.ApproveNewVersionAsync(Article, c => c with { Summary = "Second." });
        var second = await app.PublishAsync("Second");

        await using var restarted = new PortalFactory(PortalOptions.WithFakeClock() with { Database = app.Database });
        var again = restarted.CreateClient();
        Assert.Equal(first, await again.GetByteArrayAsync("/api/v1/snapshots/1"));
        var secondBytes = await app.ExpectedFeedAsync(second);
        Assert.Equal(secondBytes, await again.GetByteArrayAsync("/api/v1/snapshots/2"));
        Assert.Equal(secondBytes, await again.GetByteArrayAsync("/api/v1/feed"));
        Assert.Equal(second.ETag, (await again.GetAsync("/api/v1/feed")).Headers.ETag?.Tag);
        using var response = await again.GetAsync("/api/v1/snapshots/1");
        Assert.Equal($"\"{(await app.WithDbAsync(db => db.Snapshots.Where(s => s.Id == 1).Select(s => s.ETag).FirstAsync())).Trim('"')}\"", response.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task A_snapshot_stored_whole_by_an_older_portal_is_served_as_before_and_its_items_become_renditions()
    {
        var bytes = await client.GetByteArrayAsync("/api/v1/feed");
        var entries = await app.WithDbAsync(db => db.ManifestOf(1).CountAsync());
        // As the upgrade finds it: the feed in the snapshot row, no renditions.
        await app.WithDbAsync(async db =>
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE \"Snapshots\" SET \"FeedJson\" = {0} WHERE \"Id\" = 1", bytes);
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"Renditions\"");
        });

        await using var upgraded = new PortalFactory(PortalOptions.WithFakeClock() with { Database = app.Database });
        var upgradedClient = upgraded.CreateClient();
        Assert.Equal(bytes, await upgradedClient.GetByteArrayAsync("/api/v1/feed"));
        Assert.Equal(bytes, await upgradedClient.GetByteArrayAsync("/api/v1/snapshots/1"));
        Assert.Equal(entries, await upgraded.WithDbAsync(db => db.Renditions.CountAsync()));

        await upgraded.ApproveNewVersionAsync(Article, c => c with { Summary = "After the upgrade." });
        var next = await upgraded.PublishAsync("After the upgrade");
        var nextBytes = await upgraded.ExpectedFeedAsync(next);
        Assert.Equal(nextBytes, await upgradedClient.GetByteArrayAsync("/api/v1/feed"));
        Assert.Contains("After the upgrade.", System.Text.Encoding.UTF8.GetString(nextBytes));
    }

    [Fact]
    public async Task A_publish_that_dies_before_its_commit_stores_no_manifest_and_no_rendition()
    {
        var approved = await app.ApproveNewVersionAsync(Article, c => c with { Title = "Never published" });

        app.CrashAtNextCommit();
        await Assert.ThrowsAsync<IOException>(() => app.PublishAsync("Dies half way"));

        Assert.False(await app.WithDbAsync(db => db.Renditions.AnyAsync(r => r.VersionId == approved.Id)));
        Assert.False(await app.WithDbAsync(db => db.Snapshots.SelectMany(s => s.Entries).AnyAsync(e => e.VersionId == approved.Id)));
        Assert.NotEqual(approved.Id, (await app.DocumentAsync(Article)).PublishedVersionId);
        var snapshot = await app.PublishAsync("Second try");
        Assert.Equal(approved.Id, (await app.DocumentAsync(Article)).PublishedVersionId);
        Assert.Equal(await app.ExpectedFeedAsync(snapshot), await client.GetByteArrayAsync("/api/v1/feed"));
    }

    [Fact]
    public async Task Every_documents_listing_matches_its_versions_after_the_workflow_and_a_publish()
    {
        await CiteEvidenceAsync("spinal-tumor");
        await app.ApproveNewVersionAsync(Article, c => c with { Summary = "Listing." });
        using var editor = await app.LoginAsync(PortalFactory.Editor);
        var other = await app.DocumentAsync("spinal-tumor");
        await editor.OpenDraftAsync(other.Id);
        await app.PublishAsync("Listing check");

        var documents = await app.WithDbAsync(db => db.Documents.AsNoTracking().ToListAsync());
        var served = await app.WithDbAsync(db => db.CurrentManifest().ToDictionaryAsync(e => e.DocumentId, e => e.VersionId));
        Assert.All(documents, d =>
        {
            Assert.Equal((d.Latest.Number, d.Latest.Status, d.Latest.Title, d.LatestApproved?.Id, d.ReviewDue), (d.LatestNumber, d.LatestStatus, d.LatestTitle, d.LatestApprovedId, d.ListedReviewDue));
            Assert.Equal(served.TryGetValue(d.Id, out var v) ? v : null, d.PublishedVersionId);
            var storedEvidenceDue = d.ListedEvidenceDue;
            d.RefreshListing(); // recomputed from the versions just loaded
            Assert.Equal(d.ListedEvidenceDue, storedEvidenceDue);
            Assert.Equal(Document.CurrentListingRevision, d.ListingRevision);
        });
        Assert.Equal(VersionStatus.Draft, documents.Single(d => d.Id == other.Id).LatestStatus);
        Assert.Contains(documents, d => d.ListedEvidenceDue is not null);
    }

    [Fact]
    public async Task Listings_computed_by_an_older_portal_are_recomputed_at_start_up_and_only_those()
    {
        await CiteEvidenceAsync("spinal-tumor");
        var expected = await app.WithDbAsync(db => db.Documents.AsNoTracking().ToDictionaryAsync(d => d.Id, d => d.ListedEvidenceDue));
        Assert.Contains(expected.Values, due => due is not null);
        // What an upgrade from before the evidence column finds: the column empty, the rows at revision 0.
        await app.WithDbAsync(db => db.Documents.ExecuteUpdateAsync(set => set.SetProperty(d => d.ListingRevision, 0).SetProperty(d => d.ListedEvidenceDue, (DateTime?)null)));
        var auditBefore = await app.WithDbAsync(db => db.AuditTrail.CountAsync());

        var refreshed = await app.WithDbAsync(db => db.RefreshOutdatedListingsAsync());
        var again = await app.WithDbAsync(db => db.RefreshOutdatedListingsAsync());

        Assert.Equal(expected.Count, refreshed);
        Assert.Equal(0, again);
        Assert.Equal(expected, await app.WithDbAsync(db => db.Documents.AsNoTracking().ToDictionaryAsync(d => d.Id, d => d.ListedEvidenceDue)));
        Assert.Equal(auditBefore, await app.WithDbAsync(db => db.AuditTrail.CountAsync()));
    }

    /// <summary>An approved version citing a source, its evidence re-checked at the review.</summary>
    private Task<DocumentVersion> CiteEvidenceAsync(string slug) =>
        app.ApproveNewVersionAsync(slug, c => c with { References = [new ReferenceInput("NICE guideline NG59", "https://www.nice.org.uk/guidance/ng59")] },
            "Cites NICE", v => new SigningAnswers(null, v.References.Select(r => new EvidenceAnswer(r.Position, true, null)).ToList()));

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private static int CountItems(byte[] feed)
    {
        using var json = JsonDocument.Parse(feed);
        return json.RootElement.GetProperty("articles").GetArrayLength() + json.RootElement.GetProperty("redFlagLists").GetArrayLength();
    }

    /// <summary>Manifest rows a snapshot wrote, and rows it ended (documents it changed or removed).</summary>
    private Task<(int Written, int Closed)> WrittenAndClosedAsync(int snapshotId) => app.WithDbAsync(async db =>
        (await db.Snapshots.AsNoTracking().Where(s => s.Id == snapshotId).SelectMany(s => s.Entries).CountAsync(),
         await db.Snapshots.AsNoTracking().SelectMany(s => s.Entries).CountAsync(e => EF.Property<int?>(e, PortalDbContext.UntilSnapshot) == snapshotId)));

}
