using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Seeding;

/// <summary>
/// A seed folder need not have both subfolders: a library of articles only imports and publishes them,
/// and a folder with no content starts the portal empty (it once failed at start-up on the missing folder).
/// </summary>
public class SeedFolderTests
{
    [Fact]
    public async Task A_seed_with_articles_only_imports_and_publishes_them()
    {
        var seed = Directory.CreateTempSubdirectory("contentportal-seed-articles-");
        try
        {
            var articles = Directory.CreateDirectory(Path.Combine(seed.FullName, "articles"));
            await File.WriteAllTextAsync(Path.Combine(articles.FullName, "sciatica.md"),
                "---\nslug: sciatica\ntitle: Sciatica\nsummary: Pain down the leg.\n---\nSciatica is pain that travels down the leg.\n");

            await using var app = new PortalFactory(new PortalOptions { Settings = new Dictionary<string, string> { ["Seed:Path"] = seed.FullName } });

            Assert.Equal(1, app.Feed.Current?.SnapshotId);
            Assert.Equal(["sciatica"], app.Feed.Current!.InFeedOrder.Select(i => i.Slug));
            using var client = app.CreateClient();
            var response = await client.GetAsync("/api/v1/articles/sciatica");
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            seed.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Items_rendered_during_the_import_are_what_the_stored_versions_render()
    {
        // The import renders snapshot 1's items from the versions in memory while it saves: each must be byte
        // for byte what rendering the version read back from the database gives (times, codes, flags and all).
        await using var app = new PortalFactory();

        var (versions, renditions) = await app.WithDbAsync(async db => (await db.Versions.AsNoTracking().ToListAsync(), await db.Renditions.AsNoTracking().ToListAsync()));
        var documents = await app.WithDbAsync(db => db.Documents.AsNoTracking().ToDictionaryAsync(d => d.Id, d => d.Slug));

        Assert.NotEmpty(renditions);
        Assert.Equal(versions.Select(v => v.Id).Order(), renditions.Select(r => r.VersionId).Order());
        Assert.Contains(versions, v => v.Kind == ContentPortal.Domain.DocumentKind.RedFlagList);
        foreach (var version in versions)
        {
            var fresh = ContentPortal.Web.Feed.FeedBuilder.RenderItem(version.DocumentId, documents[version.DocumentId], version, [version]);
            Assert.Equal(System.Text.Encoding.UTF8.GetString(fresh), System.Text.Encoding.UTF8.GetString(renditions.Single(r => r.VersionId == version.Id).Json));
        }
    }

    [Fact]
    public async Task A_seed_folder_with_no_content_starts_the_portal_empty()
    {
        var seed = Directory.CreateTempSubdirectory("contentportal-seed-empty-");
        try
        {
            await using var app = new PortalFactory(new PortalOptions { Settings = new Dictionary<string, string> { ["Seed:Path"] = seed.FullName } });

            Assert.Null(app.Feed.Current);
            Assert.Equal(0, await app.WithDbAsync(db => db.Documents.CountAsync()));
            using var client = app.CreateClient();
            var health = await client.GetAsync("/health");
            Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        }
        finally
        {
            seed.Delete(recursive: true);
        }
    }
}
