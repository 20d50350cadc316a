using System.Runtime.CompilerServices;

namespace ContentPortal.BrowserTests;

/// <summary>Shared helpers: pages bound to the fixture's server, log in/out, screenshots, console capture.</summary>
public abstract class BrowserTest(PortalAppFixture app, ITestOutputHelper output) : IClassFixture<PortalAppFixture>, IAsyncLifetime
{
    public const string Editor = "editor@contentportal.test";
    public const string Reviewer = "reviewer@contentportal.test";
    public const string Publisher = "publisher@contentportal.test";

    private const string ShotsFolder = "/tmp/cp-shots";

    private readonly List<IBrowserContext> contexts = [];
    private readonly List<IPage> pages = [];

    protected PortalAppFixture App { get; } = app;

    protected ITestOutputHelper Output { get; } = output;

    /// <summary>Console errors, page errors and CSP violations seen on any page of this test.</summary>
    protected List<string> BrowserErrors { get; } = [];

    protected static bool WantShots => Environment.GetEnvironmentVariable("CP_SCREENSHOTS") == "1";

    public Task InitializeAsync()
    {
        SetDefaultExpectTimeout(10_000);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var context in contexts)
        {
            await context.CloseAsync();
        }
    }

    /// <summary>A page in a fresh browser context (own cookies), relative URLs resolved against the app.</summary>
    protected async Task<IPage> NewPageAsync()
    {
        var context = await App.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseAddress.ToString(),
            Locale = "en-GB",
            TimezoneId = "Europe/London",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(15_000);
        contexts.Add(context);

        // Reported by the browser as a DOM event even when the console message wording changes.
        await context.AddInitScriptAsync("""
            window.__cspViolations = [];
            document.addEventListener("securitypolicyviolation", function (e) {
              window.__cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
            });
            """);

        var page = await context.NewPageAsync();
        pages.Add(page);
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                Log($"[console.{message.Type}] {page.Url}: {message.Text}");
            }

            // htmx logs an in-flight request that the browser cancels because the page navigates away (a heartbeat or
            // preview still out when a form submits) as console errors "htmx:afterRequest" + "htmx:sendAbort". That is
            // the browser leaving the page, not a fault; network errors and timeouts keep their own events
            // (htmx:sendError, htmx:timeout) and failed answers theirs (htmx:responseError), which still count.
            if (message.Type == "error" && !message.Text.StartsWith("htmx:sendAbort", StringComparison.Ordinal)
                && !message.Text.StartsWith("htmx:afterRequest", StringComparison.Ordinal))
            {
                lock (BrowserErrors)
                {
                    BrowserErrors.Add($"console.error on {page.Url}: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (BrowserErrors)
            {
                BrowserErrors.Add($"page error on {page.Url}: {error}");
            }
        };
        return page;
    }

    /// <summary>CSP violations recorded by the init script on the page's current document.</summary>
    protected static async Task<IReadOnlyList<string>> CspViolationsAsync(IPage page) =>
        await page.EvaluateAsync<string[]>("() => window.__cspViolations || []");

    protected async Task LogInAsync(IPage page, string email)
    {
        await page.GotoAsync("Account/Login");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(App.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log out", Exact = true })).ToBeVisibleAsync();
    }

    protected static async Task LogOutAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log out", Exact = true })).ToHaveCountAsync(0);
    }

    /// <summary>
    /// What the signing form asks for besides the password (issue 12): a reason when the reading age is above
    /// the target, and "re-checked" for each reference. Tests about other things answer it like this.
    /// </summary>
    protected static async Task AnswerSigningChecksAsync(IPage page)
    {
        await Expect(page.Locator("form.sign-form")).ToBeVisibleAsync(); // htmx swaps the signing form in after Approve
        var reason = page.Locator("textarea[name=ReadabilityReason]");
        if (await reason.CountAsync() > 0)
        {
            await reason.FillAsync("Clinical terms are needed here.");
        }

        foreach (var box in await page.Locator(".evidence-checks input[type=checkbox]").AllAsync())
        {
            await box.CheckAsync();
        }
    }

    protected static ILocator NavLink(IPage page, string name) =>
        page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    /// <summary>Content → the document's page.</summary>
    protected static async Task OpenDocumentAsync(IPage page, string title)
    {
        await NavLink(page, "Content").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Content", Exact = true, Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Exact = true, Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>Saves a full-page PNG to /tmp/cp-shots when CP_SCREENSHOTS=1 (for people to look at).</summary>
    protected async Task ShotAsync(IPage page, string name)
    {
        if (!WantShots)
        {
            return;
        }

        Directory.CreateDirectory(ShotsFolder);
        var path = Path.Combine(ShotsFolder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Log($"Screenshot: {path}");
    }

    /// <summary>Runs the test body; on failure saves a screenshot of every open page next to the test binaries.</summary>
    protected async Task RunAsync(Func<Task> body, [CallerMemberName] string test = "")
    {
        try
        {
            await body();
        }
        catch
        {
            var folder = Path.Combine(AppContext.BaseDirectory, "failure-screenshots");
            Directory.CreateDirectory(folder);
            for (var i = 0; i < pages.Count; i++)
            {
                if (pages[i].IsClosed)
                {
                    continue;
                }

                var path = Path.Combine(folder, $"{GetType().Name}.{test}.{i}.png");
                try
                {
                    await pages[i].ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
                    Log($"Failure screenshot ({pages[i].Url}): {path}");
                }
                catch (PlaywrightException e)
                {
                    Log($"Could not take a failure screenshot: {e.Message}");
                }
            }

            throw;
        }
    }

    protected void Log(string line)
    {
        try
        {
            Output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // An event after the test finished has nowhere to go.
        }
    }
}
