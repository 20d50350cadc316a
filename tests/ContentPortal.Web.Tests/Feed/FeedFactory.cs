using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Feed;
using ContentPortal.Web.Scheduling;
using ContentPortal.Web.Webhooks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContentPortal.Web.Tests.Feed;

/// <summary>
/// The app in Development (seed imported and published as snapshot 1) over its own temp SQLite file, with
/// a fake clock. Background loops poll rarely (tests call RunDueAsync / DeliverDueAsync themselves).
/// Passing the same database path to a second factory is a restart.
/// </summary>
public sealed class FeedFactory : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private readonly bool ownsDatabase;

    public FeedFactory(string? databasePath = null, FakeTimeProvider? clock = null, double webhookTimeoutSeconds = 2, bool backgroundScheduler = false)
    {
        ownsDatabase = databasePath is null;
        DatabasePath = databasePath ?? Path.Combine(Path.GetTempPath(), $"contentportal-feedtests-{Guid.NewGuid():N}.db");
        Clock = clock ?? new FakeTimeProvider(Start);
        WebhookTimeoutSeconds = webhookTimeoutSeconds;
        BackgroundScheduler = backgroundScheduler;
    }

    private bool BackgroundScheduler { get; }

    public string DatabasePath { get; }

    private readonly CrashAtCommit crash = new();

    /// <summary>The next transaction commit throws, as if the process died just before it.</summary>
    public void CrashAtNextCommit() => crash.Armed = true;

    public FakeTimeProvider Clock { get; }

    private double WebhookTimeoutSeconds { get; }

    public static Actor Publisher { get; } = new("test-publisher", "Tess Publisher", new HashSet<string> { Roles.Publisher });

    public static Actor Admin { get; } = new("test-admin", "Tom Admin", new HashSet<string>(Roles.All));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Default", $"Data Source={DatabasePath}");
        builder.UseSetting("Scheduling:PollSeconds", "3600");
        // Tests drive rounds themselves; the restart test lets the scheduler's start-up round run.
        builder.UseSetting("Scheduling:Background", BackgroundScheduler ? "true" : "false");
        builder.UseSetting("Webhooks:Background", "false");
        builder.UseSetting("Webhooks:PollSeconds", "3600");
        builder.UseSetting("Webhooks:TimeoutSeconds", WebhookTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Feed:PublicBaseUrl", "https://feed.example.org");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.ConfigureDbContext<PortalDbContext>(options => options.AddInterceptors(crash));
        });
    }

    /// <summary>Runs <paramref name="work"/> with a fresh DbContext, as a request would.</summary>
    public async Task<T> WithDbAsync<T>(Func<PortalDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }

    public Task WithDbAsync(Func<PortalDbContext, Task> work) => WithDbAsync(async db => { await work(db); return 0; });

    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    public PublishedFeed Feed => Services.GetRequiredService<PublishedFeed>();

    public WebhookOutbox Outbox => Services.GetRequiredService<WebhookOutbox>();

    public ScheduledPublisher Scheduler => Services.GetRequiredService<ScheduledPublisher>();

    public WebhookDispatcher Dispatcher => Services.GetRequiredService<WebhookDispatcher>();

    public Task<Snapshot> PublishAsync(string note = "Test publish") =>
        WithPublisherAsync(publisher => publisher.PublishAsync(Publisher, note));

    /// <summary>Runs <paramref name="work"/> with the request-scoped publishing service, as a page would.</summary>
    public async Task<T> WithPublisherAsync<T>(Func<ContentPortal.Web.Feed.Publisher, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<ContentPortal.Web.Feed.Publisher>());
    }

    /// <summary>Takes a document through a new approved version (editor and reviewer are different people).</summary>
    public Task<DocumentVersion> ApproveNewVersionAsync(string slug, Func<VersionContent, VersionContent> change, string changeNote = "Test change") =>
        WithDbAsync(async db =>
        {
            var editor = new Actor("test-editor", "Ed Itor", new HashSet<string> { Roles.Editor });
            var reviewer = new Actor("test-reviewer", "Rev Iewer", new HashSet<string> { Roles.Reviewer });
            var document = await db.Documents.FirstAsync(d => d.Slug == slug);
            var draft = document.OpenDraft(editor, Now, out _);
            draft.Edit(change(draft.CurrentContent()), changeNote, draft.Revision, editor, Now);
            await db.SaveChangesAsync();
            draft.Submit(changeNote, editor, Now);
            document.Sign(draft, draft.Revision, reviewer, Now, ReviewKind.Full, SignOffPolicy.Default, null);
            await db.SaveChangesAsync();
            return draft;
        });

    public Task<Document> CreateApprovedArticleAsync(string slug, string title, string body) =>
        WithDbAsync(async db =>
        {
            var editor = new Actor("test-editor", "Ed Itor", new HashSet<string> { Roles.Editor });
            var reviewer = new Actor("test-reviewer", "Rev Iewer", new HashSet<string> { Roles.Reviewer });
            var document = Document.Create(DocumentKind.Article, slug, new VersionContent(title, "Summary.", body, []), editor, Now);
            db.Documents.Add(document);
            await db.SaveChangesAsync();
            document.Latest.Submit("New article", editor, Now);
            document.Sign(document.Latest, document.Latest.Revision, reviewer, Now, ReviewKind.Full, SignOffPolicy.Default, null);
            await db.SaveChangesAsync();
            return document;
        });

    public Task RetireAsync(string slug) =>
        WithDbAsync(async db =>
        {
            var document = await db.Documents.FirstAsync(d => d.Slug == slug);
            document.Retire(Publisher, Now);
            await db.SaveChangesAsync();
        });

    private sealed class CrashAtCommit : Microsoft.EntityFrameworkCore.Diagnostics.DbTransactionInterceptor
    {
        public volatile bool Armed;

        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult> TransactionCommittingAsync(
            System.Data.Common.DbTransaction transaction,
            Microsoft.EntityFrameworkCore.Diagnostics.TransactionEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult result,
            CancellationToken cancellationToken = default)
        {
            if (Armed)
            {
                Armed = false;
                throw new IOException("Simulated crash just before the commit.");
            }

            return ValueTask.FromResult(result);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (ownsDatabase)
        {
            DeleteDatabase(DatabasePath);
        }
    }

    public static void DeleteDatabase(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            try
            {
                File.Delete(path + suffix);
            }
            catch (IOException)
            {
                // Best effort: a leftover temp file must not fail the run.
            }
        }
    }
}
