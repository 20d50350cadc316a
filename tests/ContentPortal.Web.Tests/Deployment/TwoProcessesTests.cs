using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ContentPortal.Domain;
using ContentPortal.Web.Data.Postgres;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Deployment;

/// <summary>
/// Two real portal processes (the built app, `dotnet ContentPortal.Web.dll`, each on Kestrel at its own
/// loopback port) on one PostgreSQL database, driven over HTTP as a load balancer would spread one
/// browser's requests: nothing shared but the database.
/// </summary>
[Trait("Category", "PostgreSQL")]
public sealed partial class TwoProcessesTests : IClassFixture<TwoProcessesTests.TwoInstances>
{
    private readonly TwoInstances portal;

    public TwoProcessesTests(TwoInstances portal) => this.portal = portal;

    [PostgresFact]
    public async Task A_login_on_A_is_used_on_B_and_a_form_from_A_is_accepted_by_B()
    {
        var (viaA, viaB) = portal.OneBrowser();
        await viaA.LoginAsync(PortalFactory.Editor2);

        Assert.Contains("Log out", (await viaB.GetPageAsync("/")).Text);
        var form = (await viaA.GetPageAsync("/Content/Create")).Form()
            .Set("Input.Kind", "Article").Set("Input.Title", "Made on A, saved by B").Set("Input.Slug", "made-on-a-saved-by-b");
        var created = await viaB.PostFormAsync("/Content/Create", form);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
    }

    [PostgresFact]
    public async Task Work_split_over_both_instances_publishes_once_per_change_B_serves_it_within_two_seconds_and_the_chain_holds()
    {
        var (editorA, editorB) = portal.OneBrowser();
        await editorA.LoginAsync(PortalFactory.Editor);
        var (reviewerA, reviewerB) = portal.OneBrowser();
        await reviewerB.LoginAsync(PortalFactory.Reviewer);
        var publishers = new List<PortalClient>();
        for (var i = 0; i < 10; i++)
        {
            var (publisherA, publisherB) = portal.OneBrowser();
            await publisherA.LoginAsync(PortalFactory.Publisher);
            publishers.Add(publisherA);
            publishers.Add(publisherB);
        }

        var before = await CurrentSnapshotAsync(portal.B);
        var id = await editorA.CreateDocumentAsync("Written across two processes", $"two-processes-{Guid.NewGuid():N}"[..30]);
        await editorB.SubmitAsync(id, "New article", form => form.Set("Input.Summary", "Summary.").Set("Input.BodyMarkdown", "Body written on two instances."));
        var versionId = await portal.WithDbAsync(db => db.Versions.Where(v => v.DocumentId == id).Select(v => v.Id).SingleAsync());
        await reviewerA.ApproveAsync(versionId);

        // 20 publishers press Publish at once, half through each instance.
        var responses = await Task.WhenAll(publishers.Select((p, i) => p.PublishAsync($"Racing publish {i}")));
        var published = Stopwatch.StartNew();

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"Publish answered {(int)r.StatusCode}"));
        var ids = await portal.WithDbAsync(db => db.Snapshots.OrderBy(s => s.Id).Select(s => s.Id).ToListAsync());
        Assert.Equal(Enumerable.Range(1, ids.Count), ids); // consecutive, none lost or doubled
        Assert.Equal(before + 1, ids[^1]); // one change, one snapshot: the others found nothing new to publish

        var served = before;
        while (served != before + 1 && published.Elapsed < TimeSpan.FromSeconds(10))
        {
            served = Math.Min(await CurrentSnapshotAsync(portal.A), await CurrentSnapshotAsync(portal.B));
            if (served != before + 1)
            {
                await Task.Delay(50);
            }
        }

        Assert.Equal(before + 1, served);
        Assert.True(published.Elapsed < TimeSpan.FromSeconds(2), $"Both instances served snapshot {before + 1} only after {published.Elapsed.TotalSeconds:0.0} s.");

        // Concurrent logins and saves on both instances, then one unbroken chain.
        await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            var (a, b) = portal.OneBrowser();
            await (i % 2 == 0 ? a : b).LoginAsync(PortalFactory.Reviewer2);
        }));
        var chain = await portal.WithDbAsync(db => db.AuditTrail.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync());
        Assert.Null(AuditChain.Verify(chain));
    }

    private static async Task<int> CurrentSnapshotAsync(HttpClient instance)
    {
        using var feed = JsonDocument.Parse(await instance.GetStringAsync("/api/v1/feed"));
        return feed.RootElement.GetProperty("snapshot").GetProperty("id").GetInt32();
    }

    /// <summary>The two processes, started together on one new database; stopped and the database dropped at the end.</summary>
    public sealed partial class TwoInstances : IAsyncLifetime
    {
        private readonly List<Process> processes = [];
        private PostgresTestDatabase? database;

        public HttpClient A { get; private set; } = null!;

        public HttpClient B { get; private set; } = null!;

        private Uri addressA = null!;
        private Uri addressB = null!;

        public async Task InitializeAsync()
        {
            if (Environment.GetEnvironmentVariable("CONTENTPORTAL_SKIP_POSTGRES") == "1")
            {
                return; // every test here is skipped
            }

            database = PostgresTestDatabase.Create();
            var started = await Task.WhenAll(StartAsync(), StartAsync());
            (addressA, addressB) = (started[0], started[1]);
            A = new HttpClient { BaseAddress = addressA };
            B = new HttpClient { BaseAddress = addressB };
        }

        /// <summary>One browser's cookie jar, its requests sent to A or to B.</summary>
        public (PortalClient ViaA, PortalClient ViaB) OneBrowser()
        {
            var cookies = new CookieContainer();
            // Cookies do not depend on the port: both instances are 127.0.0.1 to the jar, as behind one host name.
            var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
            return (new PortalClient(new HttpClient(handler, disposeHandler: false) { BaseAddress = addressA }),
                    new PortalClient(new HttpClient(handler, disposeHandler: false) { BaseAddress = addressB }));
        }

        public async Task<T> WithDbAsync<T>(Func<PostgresPortalDbContext, Task<T>> work)
        {
            var options = new DbContextOptionsBuilder<PostgresPortalDbContext>()
                .UseNpgsql(database!.ConnectionString, o => o.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery)).Options;
            await using var db = new PostgresPortalDbContext(options);
            return await work(db);
        }

        private async Task<Uri> StartAsync()
        {
            var root = RepositoryRoot();
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
            var web = Path.Combine(root, "src", "ContentPortal.Web");
            var dll = Path.Combine(web, "bin", configuration, "net10.0", "ContentPortal.Web.dll");
            var start = new ProcessStartInfo("dotnet", [dll])
            {
                WorkingDirectory = web, // the content root: appsettings, wwwroot, the seed folder
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
            start.Environment["Database__Provider"] = "PostgreSQL";
            start.Environment["ConnectionStrings__Default"] = database!.ConnectionString;
            start.Environment["DemoUsers__Password"] = PortalFactory.Password;
            start.Environment["Webhooks__Background"] = "false";
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
            var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
            lock (processes)
            {
                processes.Add(process);
            }

            var errors = new System.Text.StringBuilder();
            process.ErrorDataReceived += (_, e) => { lock (errors) { errors.AppendLine(e.Data); } };
            process.BeginErrorReadLine();
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(90))
            {
                var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(90));
                if (line is null)
                {
                    break;
                }

                if (Listening().Match(line) is { Success: true } match)
                {
                    // Keep draining stdout so the process never blocks on a full pipe.
                    _ = process.StandardOutput.ReadToEndAsync();
                    return new Uri(match.Groups[1].Value + "/");
                }
            }

            throw new InvalidOperationException($"The portal process did not start listening. stderr: {errors}");
        }

        private static string RepositoryRoot()
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "ContentPortal.sln")))
                {
                    return folder.FullName;
                }
            }

            throw new InvalidOperationException("ContentPortal.sln not found above the test assembly.");
        }

        public async Task DisposeAsync()
        {
            A?.Dispose();
            B?.Dispose();
            foreach (var process in processes)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException)
                {
                    // Already gone.
                }

                process.Dispose();
            }

            database?.Delete();
        }

        [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
        private static partial Regex Listening();
    }
}
