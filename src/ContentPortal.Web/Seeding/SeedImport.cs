using System.Text.Json;
using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Feed;
using ContentPortal.Web.Publishing;
using Microsoft.EntityFrameworkCore;
using YamlDotNet.Serialization;

namespace ContentPortal.Web.Seeding;

/// <summary>
/// Imports the human-editable files in seed/ into an empty database: each becomes version 1 of its
/// document, approved as imported, then published as snapshot 1. The record says it was imported.
/// </summary>
public static class SeedImport
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder().IgnoreUnmatchedProperties().Build();

    public static async Task<int> ImportAsync(PortalDbContext db, Publisher publisher, PublishedFeed feed, string seedPath, DateTime at, ILogger logger)
    {
        if (await db.Documents.AnyAsync())
        {
            return 0;
        }

        if (!Directory.Exists(seedPath))
        {
            logger.LogWarning("No seed folder at {SeedPath}; starting with no content.", seedPath);
            return 0;
        }

        var articles = FilesIn(seedPath, "articles", "*.md", logger);
        var lists = FilesIn(seedPath, "red-flag-lists", "*.json", logger);
        if (articles.Length + lists.Length == 0)
        {
            // Nothing to publish: start empty rather than fail at start-up on a refused publish.
            logger.LogWarning("The seed folder {SeedPath} has no articles (*.md) or red-flag lists (*.json); starting with no content.", seedPath);
            return 0;
        }

        // All or nothing: a failed import leaves an empty database to try again on the next start. Saved in batches
        // whose tracked entities are then let go, so memory follows a batch, not the corpus (100,000 documents, issue 28).
        var count = 0;
        var started = System.Diagnostics.Stopwatch.StartNew();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            // The next batch is read and checked (on the thread pool) while this one saves, so its parsing overlaps
            // the save (a few per cent at 10,000 documents: the save is most of the time).
            using var batches = ReadAll(articles, lists, at).Chunk(ImportBatch).GetEnumerator();
            var reading = batches.MoveNext() ? Task.WhenAll(batches.Current) : null;
            while (reading is not null)
            {
                var documents = await reading;
                reading = batches.MoveNext() ? Task.WhenAll(batches.Current) : null;
                db.Documents.AddRange(documents); // each records its own "imported" audit line
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
                count += documents.Length;
            }

            var imported = started.ElapsedMilliseconds;
            var publishing = System.Diagnostics.Stopwatch.StartNew();
            var release = await publisher.PublishInTransactionAsync(Actor.SeedImport, "Initial import of the seed content.", at);
            await transaction.CommitAsync();
            feed.Show(release);
            publishing.Stop();
            // bench/feed.sh reads this line: publishing time = plan + feed bytes + store + commit + in-memory swap.
            logger.LogInformation("Imported {Count} documents from {SeedPath} and published snapshot 1 ({Bytes} bytes) in {Milliseconds} ms.", count, seedPath, feed.Current?.Feed.Length ?? 0, publishing.ElapsedMilliseconds);
            logger.LogInformation("Seed import: {Count} documents saved in {ImportMilliseconds} ms, then published in {PublishMilliseconds} ms.", count, imported, publishing.ElapsedMilliseconds);
        }

        // Outside the publish's timing: the logged time stays plan, items, store, commit and swap.
        await Infrastructure.Database.AnalyzeAfterBulkLoadAsync(db);
        return count;
    }

    /// <summary>Documents saved per batch of the import: large enough that a save's fixed cost is small beside it.</summary>
    private const int ImportBatch = 1_000;

    /// <summary>The seed's documents in import order (articles, then red-flag lists), each read when its batch is saved.</summary>
    private static IEnumerable<Task<Document>> ReadAll(string[] articles, string[] lists, DateTime at) =>
        articles.Select(file => ReadArticleAsync(file, at)).Concat(lists.Select(file => ReadListAsync(file, at)));

    private static async Task<Document> ReadArticleAsync(string file, DateTime at)
    {
        var (front, body) = SplitFrontMatter(await File.ReadAllTextAsync(file), file);
        var content = new VersionContent(front.GetValueOrDefault("title") ?? "", front.GetValueOrDefault("summary") ?? "", body, [])
        {
            Codes = ClinicalCodeInput.ParseLines(front.GetValueOrDefault("codes")),
        };
        return Document.Import(DocumentKind.Article, front.GetValueOrDefault("slug") ?? "", content, Actor.SeedImport, at, $"seed/articles/{Path.GetFileName(file)}");
    }

    private static async Task<Document> ReadListAsync(string file, DateTime at)
    {
        var list = JsonSerializer.Deserialize<SeedRedFlagList>(await File.ReadAllTextAsync(file), FeedBuilder.Json)
            ?? throw new InvalidDataException($"{file} is empty.");
        var content = new VersionContent(list.Title, list.Summary, "", list.Flags.Select(f => new RedFlagInput(f.Symptom, f.Advice, f.Urgency) { Codes = SeedCodes(f.Codes) }).ToList())
        {
            Codes = SeedCodes(list.Codes),
        };
        return Document.Import(DocumentKind.RedFlagList, list.Slug, content, Actor.SeedImport, at, $"seed/red-flag-lists/{Path.GetFileName(file)}");
    }

    /// <summary>A seed subfolder's files in name order; a seed with only articles (or only lists) has no other folder.</summary>
    private static string[] FilesIn(string seedPath, string folder, string pattern, ILogger logger)
    {
        var path = Path.Combine(seedPath, folder);
        if (!Directory.Exists(path))
        {
            logger.LogInformation("The seed folder {SeedPath} has no {Folder} folder; importing none.", seedPath, folder);
            return [];
        }

        return Directory.GetFiles(path, pattern).Order(StringComparer.Ordinal).ToArray();
    }

    private static (Dictionary<string, string> Front, string Body) SplitFrontMatter(string text, string file)
    {
        text = text.Replace("\r\n", "\n");
        if (!text.StartsWith("---\n", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{file} has no front matter (it must start with a line of ---).");
        }

        var end = text.IndexOf("\n---\n", 4, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new InvalidDataException($"{file}: the front matter is not closed by a line of ---.");
        }

        var front = Yaml.Deserialize<Dictionary<string, string>>(text[4..end]) ?? [];
        return (front, text[(end + 5)..].TrimStart('\n'));
    }

    // Codes in seed files are the editor's lines ("SNOMED 386661006 Fever"); the import validates them like a save.
    private static IReadOnlyList<ClinicalCode> SeedCodes(List<string>? lines) => ClinicalCodeInput.ParseLines(string.Join("\n", lines ?? []));

    private sealed record SeedRedFlagList(string Slug, string Title, string Summary, List<SeedRedFlag> Flags, List<string>? Codes = null);

    private sealed record SeedRedFlag(string Symptom, string Advice, string Urgency, List<string>? Codes = null);
}
