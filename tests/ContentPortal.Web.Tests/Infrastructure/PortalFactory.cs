using System.Globalization;
using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Feed;
using ContentPortal.Web.Publishing;
using ContentPortal.Web.Scheduling;
using ContentPortal.Web.Webhooks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ContentPortal.Web.Tests.Infrastructure;

/// <summary>How a <see cref="PortalFactory"/> starts the app. The defaults are what most tests want.</summary>
public sealed record PortalOptions
{
    /// <summary>
    /// "Development" (default): demo users, seed imported and published as snapshot 1. Anything else
    /// ("Testing", "Production"): migrated, roles only, nothing published.
    /// </summary>
    public string Environment { get; init; } = "Development";

    /// <summary>
    /// Null (default): a new temporary database that the factory deletes when it is disposed. Given: the
    /// factory uses it and leaves it alone, so a second factory on the same database is a restart; whoever
    /// created it deletes it (<see cref="TestDatabase.Delete"/>).
    /// </summary>
    public TestDatabase? Database { get; init; }

    /// <summary>Null (default): the system clock. Given: the app's <see cref="TimeProvider"/>; tests move it.</summary>
    public FakeTimeProvider? Clock { get; init; }

    /// <summary>The scheduler's loop (Scheduling:Background). Off: tests call <c>Scheduler.RunDueAsync</c>.</summary>
    public bool BackgroundScheduler { get; init; }

    /// <summary>The webhook dispatcher's loop (Webhooks:Background). Off: tests call <c>Dispatcher.DeliverDueAsync</c>.</summary>
    public bool BackgroundWebhooks { get; init; }

    /// <summary>Webhooks:TimeoutSeconds, how long a subscriber may take to answer.</summary>
    public double WebhookTimeoutSeconds { get; init; } = 2;

    /// <summary>
    /// Webhooks:AllowedHosts. The tests' subscribers listen on 127.0.0.1, which the SSRF rules refuse
    /// unless allowed, as an operator would for an internal consumer; "" tests the rules themselves.
    /// </summary>
    public string WebhookAllowedHosts { get; init; } = "127.0.0.1";

    /// <summary>Workflow:RequiredApprovals; null keeps the app's setting (one signature).</summary>
    public int? RequiredApprovals { get; init; }

    /// <summary>Feed:PublicBaseUrl, the address webhook bodies point consumers to.</summary>
    public string FeedPublicBaseUrl { get; init; } = "https://feed.example.org";

    /// <summary>
    /// SQLite only: the most parameters one statement may have (SQLite's default is 32,766), lowered so a
    /// test can show a statement grows with the corpus without importing 50,000 documents.
    /// </summary>
    public int? SqliteVariableLimit { get; init; }

    /// <summary>Any further configuration, applied last (so it also overrides the settings above).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Default options with a fake clock at <paramref name="start"/> (default <see cref="PortalFactory.Start"/>).</summary>
    public static PortalOptions WithFakeClock(DateTimeOffset? start = null) => new() { Clock = new FakeTimeProvider(start ?? PortalFactory.Start) };
}

/// <summary>
/// The real app (<c>Program</c>) in memory, configured by <see cref="PortalOptions"/>, on its own database.
/// Works as an xunit class fixture (<c>IClassFixture&lt;PortalFactory&gt;</c>: default options), or new'd
/// in a test. Its clients keep cookies and do not follow redirects.
/// </summary>
public sealed class PortalFactory : WebApplicationFactory<Program>
{
    /// <summary>DemoUsers:Password, the password of every demo account.</summary>
    public const string Password = "Portal-demo-2026!";

    public const string Editor = "editor@contentportal.test";
    public const string Editor2 = "editor2@contentportal.test";
    public const string Reviewer = "reviewer@contentportal.test";
    public const string Reviewer2 = "reviewer2@contentportal.test";
    public const string Publisher = "publisher@contentportal.test";
    public const string Admin = "admin@contentportal.test";

    /// <summary>Where a fake clock starts unless told otherwise: 24 November 2026, 09:00 UTC.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private readonly bool ownsDatabase;
    private readonly CrashAtCommit crash = new();
    private bool deleted;

    /// <summary>The defaults; the constructor an xunit class fixture uses.</summary>
    public PortalFactory()
        : this(new PortalOptions())
    {
    }

    // Internal: xunit refuses a class fixture with more than one public constructor.
    internal PortalFactory(PortalOptions options)
    {
        Options = options;
        ownsDatabase = options.Database is null;
        Database = options.Database ?? TestDatabase.CreateTemporary();
    }

    public PortalOptions Options { get; }

    /// <summary>The audit signing key's file for this test database, in a temporary folder of its own.</summary>
    public string AuditKeyPath => AuditKeyPathOf(Database);

    public static string AuditKeyPathOf(TestDatabase database) => System.IO.Path.Combine(System.IO.Path.GetTempPath(), "contentportal-tests-keys",
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(database.ConnectionString)))[..16], "audit-signing.pem");

    public TestDatabase Database { get; }

    /// <summary>The fake clock the app runs on (only when <see cref="PortalOptions.Clock"/> was given).</summary>
    public FakeTimeProvider Clock => Options.Clock
        ?? throw new InvalidOperationException("This factory runs on the system clock; pass PortalOptions.Clock (or PortalOptions.WithFakeClock()) for a fake one.");

    /// <summary>The app's current UTC time.</summary>
    public DateTime Now => (Options.Clock ?? TimeProvider.System).GetUtcNow().UtcDateTime;

    public PublishedFeed Feed => Services.GetRequiredService<PublishedFeed>();

    public WebhookOutbox Outbox => Services.GetRequiredService<WebhookOutbox>();

    public ScheduledPublisher Scheduler => Services.GetRequiredService<ScheduledPublisher>();

    public WebhookDispatcher Dispatcher => Services.GetRequiredService<WebhookDispatcher>();

    /// <summary>The next transaction commit throws, as if the process died just before it.</summary>
    public void CrashAtNextCommit() => crash.Armed = true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Options.Environment);
        // Program reads the connection string before Build: UseSetting reaches configuration that early.
        foreach (var (key, value) in Database.Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("DemoUsers:Password", Password);
        // Outside Development the portal wants its key ring encrypted; tests that need that set a certificate.
        builder.UseSetting("DataProtection:AllowUnprotectedKeys", "true");
        builder.UseSetting("Scheduling:Background", Options.BackgroundScheduler ? "true" : "false");
        builder.UseSetting("Scheduling:PollSeconds", "3600");
        builder.UseSetting("Webhooks:Background", Options.BackgroundWebhooks ? "true" : "false");
        builder.UseSetting("Webhooks:PollSeconds", "3600");
        builder.UseSetting("Webhooks:TimeoutSeconds", Options.WebhookTimeoutSeconds.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Feed:PublicBaseUrl", Options.FeedPublicBaseUrl);
        builder.UseSetting("Webhooks:AllowedHosts", Options.WebhookAllowedHosts);
        // The audit signing key: one per test database (factories sharing a database share it), never in it.
        builder.UseSetting("Audit:SigningKeyPath", AuditKeyPath);
        builder.UseSetting("Audit:Background", "false");
        if (Options.RequiredApprovals is { } required)
        {
            builder.UseSetting("Workflow:RequiredApprovals", required.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var (key, value) in Options.Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureTestServices(services =>
        {
            if (Options.Clock is { } clock)
            {
                services.AddSingleton<TimeProvider>(clock);
            }

            // The context type the provider registered (PostgreSQL: a subclass with its own migrations).
            if (Database is PostgresTestDatabase)
            {
                services.ConfigureDbContext<ContentPortal.Web.Data.Postgres.PostgresPortalDbContext>(options => options.AddInterceptors(crash));
            }
            else
            {
                services.ConfigureDbContext<PortalDbContext>(options => options.AddInterceptors(crash));
                if (Options.SqliteVariableLimit is { } limit)
                {
                    services.ConfigureDbContext<PortalDbContext>(options => options.AddInterceptors(new SqliteVariableLimit(limit)));
                }
            }
        });
    }

    /// <summary>A client that keeps cookies and does not follow redirects.</summary>
    public PortalClient NewClient() =>
        new(CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));

    /// <summary>A new client, logged in through the login page as <paramref name="email"/> (demo password).</summary>
    public async Task<PortalClient> LoginAsync(string email)
    {
        var client = NewClient();
        await client.LoginAsync(email);
        return client;
    }

    /// <summary>Runs <paramref name="work"/> with a fresh DbContext, as a request would.</summary>
    public async Task<T> WithDbAsync<T>(Func<PortalDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }

    public Task WithDbAsync(Func<PortalDbContext, Task> work) => WithDbAsync(async db => { await work(db); return 0; });

    public Task<Document> DocumentAsync(string slug) =>
        WithDbAsync(db => db.Documents.AsNoTracking().SingleAsync(d => d.Slug == slug));

    public Task<Document> DocumentAsync(Guid id) =>
        WithDbAsync(db => db.Documents.AsNoTracking().SingleAsync(d => d.Id == id));

    public Task<List<int>> SnapshotIdsAsync() =>
        WithDbAsync(db => db.Snapshots.AsNoTracking().OrderBy(s => s.Id).Select(s => s.Id).ToListAsync());

    /// <summary>Publishes what is approved, as <see cref="TestActors.Publisher"/> (the publishing service, no page).</summary>
    public Task<Snapshot> PublishAsync(string note = "Test publish") =>
        WithPublisherAsync(publisher => publisher.PublishAsync(TestActors.Publisher, note));

    /// <summary>
    /// The bytes a snapshot's feed must have, rendered anew from its versions with the contract's one
    /// function: independent of the stored renditions and of how the publisher composed the feed.
    /// </summary>
    public Task<byte[]> ExpectedFeedAsync(Snapshot snapshot) => WithDbAsync(async db =>
    {
        // The manifest as stored (its ranges of rows), so a wrong row shows as a wrong feed.
        var manifest = await db.ManifestOf(snapshot.Id).ToListAsync();
        var documentIds = manifest.Select(e => e.DocumentId).Distinct().ToList();
        var versions = new Dictionary<Guid, DocumentVersion>();
        foreach (var chunk in documentIds.Chunk(500))
        {
            foreach (var version in await db.Versions.AsNoTracking().Where(v => chunk.Contains(v.DocumentId)).ToListAsync())
            {
                versions[version.Id] = version;
            }
        }

        return FeedBuilder.Build(snapshot, manifest, versions);
    });

    /// <summary>Runs <paramref name="work"/> with the request-scoped publishing service, as a page would.</summary>
    public async Task<T> WithPublisherAsync<T>(Func<ContentPortal.Web.Publishing.Publisher, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<ContentPortal.Web.Publishing.Publisher>());
    }

    /// <summary>Takes a document through a new approved version (editor and reviewer are different people).</summary>
    public Task<DocumentVersion> ApproveNewVersionAsync(string slug, Func<VersionContent, VersionContent> change, string changeNote = "Test change", Func<DocumentVersion, SigningAnswers>? answers = null) =>
        WithDbAsync(async db =>
        {
            var document = await db.Documents.FirstAsync(d => d.Slug == slug);
            var draft = document.OpenDraft(TestActors.Editor, Now, out _);
            document.Edit(draft, change(draft.CurrentContent()), changeNote, draft.Revision, TestActors.Editor, Now);
            await db.SaveChangesAsync();
            document.Submit(draft, changeNote, TestActors.Editor, Now);
            document.Sign(draft, new SignRequest(TestActors.Reviewer, draft.Revision, ReviewKind.Full, Now) { PasswordVerified = true, Answers = answers?.Invoke(draft) ?? SigningAnswers.None });
            await db.SaveChangesAsync();
            return draft;
        });

    public Task<Document> CreateApprovedArticleAsync(string slug, string title, string body) =>
        WithDbAsync(async db =>
        {
            var document = Document.Create(DocumentKind.Article, slug, new VersionContent(title, "Summary.", body, []), TestActors.Editor, Now);
            db.Documents.Add(document);
            await db.SaveChangesAsync();
            document.Submit(document.Latest, "New article", TestActors.Editor, Now);
            document.Sign(document.Latest, new SignRequest(TestActors.Reviewer, document.Latest.Revision, ReviewKind.Full, Now) { PasswordVerified = true });
            await db.SaveChangesAsync();
            return document;
        });

    public Task RetireAsync(string slug) =>
        WithDbAsync(async db =>
        {
            var document = await db.Documents.FirstAsync(d => d.Slug == slug);
            document.Retire(TestActors.Publisher, Now);
            await db.SaveChangesAsync();
        });

    // DisposeAsync ends here too (WebApplicationFactory calls Dispose(true) once the host has stopped).
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && ownsDatabase && !deleted)
        {
            deleted = true;
            Database.Delete();
            if (Directory.Exists(System.IO.Path.GetDirectoryName(AuditKeyPath)))
            {
                Directory.Delete(System.IO.Path.GetDirectoryName(AuditKeyPath)!, recursive: true);
            }
        }
    }

    private sealed class SqliteVariableLimit(int limit) : DbConnectionInterceptor
    {
        public override void ConnectionOpened(System.Data.Common.DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

        public override Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Apply(connection);
            return Task.CompletedTask;
        }

        private void Apply(System.Data.Common.DbConnection connection) =>
            SQLitePCL.raw.sqlite3_limit(((Microsoft.Data.Sqlite.SqliteConnection)connection).Handle, SQLitePCL.raw.SQLITE_LIMIT_VARIABLE_NUMBER, limit);
    }

    private sealed class CrashAtCommit : DbTransactionInterceptor
    {
        public volatile bool Armed;

        public override ValueTask<InterceptionResult> TransactionCommittingAsync(
            System.Data.Common.DbTransaction transaction,
            TransactionEventData eventData,
            InterceptionResult result,
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
}

/// <summary>The people the factory's domain-level helpers act as (never demo accounts, never in the feed by id).</summary>
public static class TestActors
{
    public static Actor Editor { get; } = new("test-editor", "Ed Itor", new HashSet<string> { Roles.Editor });

    public static Actor Reviewer { get; } = new("test-reviewer", "Rev Iewer", new HashSet<string> { Roles.Reviewer });

    public static Actor Publisher { get; } = new("test-publisher", "Tess Publisher", new HashSet<string> { Roles.Publisher });

    public static Actor Admin { get; } = new("test-admin", "Tom Admin", new HashSet<string>(Roles.All));
}
