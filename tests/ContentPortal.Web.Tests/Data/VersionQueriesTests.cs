using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Data;

/// <summary>
/// The version vocabulary as queries (Data/VersionQueries, <c>db.Pick</c>): the same version per document
/// as <see cref="Document.Pick"/> in memory, and narrowed through the documents' indexed listing columns.
/// </summary>
public sealed class VersionQueriesTests(PortalFactory app) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData(VersionOption.Latest)]
    [InlineData(VersionOption.LatestApproved)]
    [InlineData(VersionOption.Published)]
    public async Task Each_option_picks_what_the_document_picks_in_memory(VersionOption option)
    {
        // A new approved version (not published yet) and an open draft make the three options differ.
        await app.ApproveNewVersionAsync("lower-back-pain-when-lying-down", c => c with { Summary = c.Summary + " Reviewed again." });
        await app.WithDbAsync(async db =>
        {
            var document = await db.Documents.FirstAsync(d => d.Slug == "lower-back-pain-when-to-see-a-doctor");
            document.OpenDraft(TestActors.Editor, app.Now, out _);
            await db.SaveChangesAsync();
        });

        var (picked, expected) = await app.WithDbAsync(async db =>
        {
            var picked = await db.Pick(option).ToDictionaryAsync(v => v.DocumentId, v => v.Id);
            var expected = (await db.Documents.AsNoTracking().ToListAsync())
                .Select(d => (d.Id, Version: d.Pick(option)))
                .Where(p => p.Version is not null)
                .ToDictionary(p => p.Id, p => p.Version!.Id);
            return (picked, expected);
        });

        Assert.NotEmpty(expected);
        Assert.Equal(expected.OrderBy(p => p.Key), picked.OrderBy(p => p.Key));
    }

    [Fact]
    public async Task Narrowed_by_a_listing_column_it_picks_only_those_documents_versions()
    {
        await app.WithDbAsync(async db =>
        {
            var document = await db.Documents.FirstAsync(d => d.Slug == "disc-degeneration");
            var draft = document.OpenDraft(TestActors.Editor, app.Now, out _);
            document.Submit(draft, "For the queue", TestActors.Editor, app.Now);
            await db.SaveChangesAsync();
        });

        var inReview = await app.WithDbAsync(db =>
            db.Pick(VersionOption.Latest, db.Documents.AsNoTracking().Where(d => d.LatestStatus == VersionStatus.InReview), (d, v) => new { d.Slug, v.Number, v.Status }).ToListAsync());

        var row = Assert.Single(inReview, r => r.Slug == "disc-degeneration");
        Assert.Equal(VersionStatus.InReview, row.Status);
        Assert.All(inReview, r => Assert.Equal(VersionStatus.InReview, r.Status));
    }

    [Fact]
    public async Task A_narrowed_pick_finds_documents_through_their_listing_index_not_by_reading_every_version()
    {
        var plan = await app.WithDbAsync(db => db.PlanOfAsync(db.Pick(VersionOption.Latest, db.Documents.Where(d => d.LatestStatus == VersionStatus.InReview)).Select(v => v.Id)));

        Assert.Contains("IX_Documents_LatestStatus", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN v", plan, StringComparison.Ordinal); // SQLite: no walk over every version
    }
}
