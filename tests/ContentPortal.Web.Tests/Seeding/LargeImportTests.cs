using ContentPortal.Web.Publishing;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Seeding;

/// <summary>
/// A corpus larger than one statement's parameter limit imports and publishes: no query sends one
/// parameter per document. SQLite's limit is lowered to 3,000 here (32,766 by default), so 3,100 documents
/// stand for a 50,000-document import, which once failed at start-up with "too many SQL variables".
/// </summary>
[Trait("Category", "SqliteOnly")]
public class LargeImportTests
{
    [Fact]
    public async Task A_corpus_beyond_the_parameter_limit_imports_and_publishes_whole()
    {
        const int count = 3_100;
        var seed = Directory.CreateTempSubdirectory("contentportal-large-seed-");
        try
        {
            var articles = Directory.CreateDirectory(Path.Combine(seed.FullName, "articles"));
            Directory.CreateDirectory(Path.Combine(seed.FullName, "red-flag-lists"));
            for (var i = 0; i < count; i++)
            {
                await File.WriteAllTextAsync(Path.Combine(articles.FullName, $"large-{i:D5}.md"),
                    $"---\nslug: large-{i:D5}\ntitle: Large article {i}\nsummary: Summary of article {i}.\n---\nBody of article {i} about back pain.\n");
            }

            await using var app = new PortalFactory(new PortalOptions
            {
                SqliteVariableLimit = 3_000,
                Settings = new Dictionary<string, string> { ["Seed:Path"] = seed.FullName },
            });

            Assert.Equal(count, app.Feed.Current?.Items.Count);
            Assert.Equal(count, await app.WithDbAsync(db => db.DocumentSearches.CountAsync()));
            Assert.Equal(count, await app.WithDbAsync(db => db.CurrentManifest().CountAsync()));
        }
        finally
        {
            seed.Delete(recursive: true);
        }
    }
}
