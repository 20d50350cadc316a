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

        // As stored (whole microseconds): the feed items rendered below from the versions in memory then say
        // exactly what the same versions read back from the database would.
        at = UtcTimes.ToStored(at);

        // All or nothing: a failed import leaves an empty database to try again on the next start. Saved in batches
        // whose tracked entities are then let go, so the database work follows a batch, not the corpus (100,000
        // documents, issue 28).
        var count = 0;
        var started = System.Diagnostics.Stopwatch.StartNew();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            // The next batch is read, checked and rendered on a thread of its own while this one saves: the save is
            // one core's work (SQLite works on the calling thread), so the other core renders the first snapshot's
            // items meanwhile instead of after, and they are saved with their documents as the publish would store
            // them (it then finds them stored). Not on the thread pool, whose threads the save's own continuations need.
            // The search indexes are filled once at the end of the load (SQLite), not document by document.
            await DocumentSearch.BulkLoadAsync(db, async () =>
            {
                using var batches = articles.Select(file => (file, list: false)).Concat(lists.Select(file => (file, list: true))).Chunk(ImportBatch).GetEnumerator();
                var preparing = batches.MoveNext() ? PrepareAsync(batches.Current, at) : null;
                while (preparing is not null)
                {
                    var (documents, renditions) = await preparing;
                    preparing = batches.MoveNext() ? PrepareAsync(batches.Current, at) : null;
                    db.Documents.AddRange(documents); // each records its own "imported" audit line
                    db.Renditions.AddRange(renditions);
                    await db.SaveChangesAsync();
                    db.ChangeTracker.Clear();
                    count += documents.Length;
                }
            });

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

    /// <summary>
    /// One batch's documents, read and checked, and the stored feed item of each (as the publish would render it
    /// from the saved version: <see cref="FeedItems"/>), on a dedicated thread. A document whose item cannot be
    /// rendered is left to the publish, which renders it again and refuses naming it.
    /// </summary>
    private static Task<(Document[] Documents, Rendition[] Renditions)> PrepareAsync((string File, bool List)[] files, DateTime at) =>
        Task.Factory.StartNew(() =>
        {
            var documents = files.Select(f => f.List ? ReadList(f.File, at) : ReadArticle(f.File, at)).ToArray();
            var renditions = new List<Rendition>(documents.Length);
            foreach (var document in documents)
            {
                var version = document.Latest;
                try
                {
                    renditions.Add(new Rendition(version.Id, document.Id, document.Slug, FeedBuilder.RenderItem(document.Id, document.Slug, version, [version]), at));
                }
                catch (Exception)
                {
                    // Not stored: the publish renders it and refuses with what went wrong.
                }
            }

            return (documents, renditions.ToArray());
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static Document ReadArticle(string file, DateTime at)
    {
        var (front, body) = SplitFrontMatter(File.ReadAllText(file), file);
        var content = new VersionContent(front.GetValueOrDefault("title") ?? "", front.GetValueOrDefault("summary") ?? "", body, [])
        {
            Codes = ClinicalCodeInput.ParseLines(front.GetValueOrDefault("codes")),
        };
        return Document.Import(DocumentKind.Article, front.GetValueOrDefault("slug") ?? "", content, Actor.SeedImport, at, $"seed/articles/{Path.GetFileName(file)}");
    }

    private static Document ReadList(string file, DateTime at)
    {
        var list = JsonSerializer.Deserialize<SeedRedFlagList>(File.ReadAllText(file), FeedBuilder.Json)
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
