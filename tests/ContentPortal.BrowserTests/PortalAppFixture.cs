using System.Net;
using ContentPortal.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContentPortal.BrowserTests;

/// <summary>
/// The real app (Development: demo users, seed imported as snapshot 1) on Kestrel at 127.0.0.1 on a free
/// port, with its own temporary SQLite file, plus a headless Debian Chromium driven by Playwright.
/// </summary>
public sealed class PortalAppFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ];

    private readonly string databasePath =
        Path.Combine(Path.GetTempPath(), $"contentportal-browsertests-{Guid.NewGuid():N}.db");

    private PortalFactory? factory;
    private IPlaywright? playwright;
    private IBrowser? browser;

    /// <summary>Where Kestrel really listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser => browser ?? throw new InvalidOperationException("The fixture is not initialized.");

    public string DemoPassword { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install the Debian package 'chromium' (tests/run does this).");
        }

        factory = new PortalFactory(databasePath);
        // Loopback only, port chosen by the OS. Kestrel then ignores ASPNETCORE_URLS / launch settings.
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer(); // returns once the app has migrated, seeded and started listening.

        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("Kestrel exposes no IServerAddressesFeature.");
        var address = addresses.Single();
        BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        if (!IPAddress.IsLoopback(IPAddress.Parse(BaseAddress.Host)) || BaseAddress.Port == 0)
        {
            throw new InvalidOperationException($"Expected a loopback address with a real port, got {address}.");
        }

        DemoPassword = factory.Services.GetRequiredService<IConfiguration>()["DemoUsers:Password"]
            ?? throw new InvalidOperationException("DemoUsers:Password is not configured.");

        // The app must really be using this fixture's database, not the developer's App_Data one.
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var dataSource = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            if (!string.Equals(Path.GetFullPath(dataSource), databasePath, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The app uses {dataSource}, not the fixture's {databasePath}.");
            }
        }

        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>Prepares data a test needs that the seed does not have (through the app's own DbContext).</summary>
    public async Task WithDbAsync(Func<PortalDbContext, Task> action)
    {
        using var scope = (factory ?? throw new InvalidOperationException("The fixture is not initialized.")).Services.CreateScope();
        await action(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.CloseAsync();
        }

        playwright?.Dispose();
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            try
            {
                File.Delete(databasePath + suffix);
            }
            catch (IOException)
            {
                // Best effort: a leftover temp file must not fail the run.
            }
        }
    }

    private sealed class PortalFactory(string databasePath) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            // Program reads the connection string before Build(); UseSetting reaches it (checked in InitializeAsync).
            builder.UseSetting("ConnectionStrings:Default", $"Data Source={databasePath}");
        }
    }
}
