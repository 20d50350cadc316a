using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;

namespace ContentPortal.BrowserTests;

/// <summary>
/// axe-core with the WCAG 2.1 A and AA rules (plus the experimental label-content-name-mismatch, WCAG 2.5.3,
/// which axe leaves off by default) over every page a signed-in person can reach, as each role, at 1366×900
/// and at 390×844 (where no page may scroll sideways), and over the states that only appear after an action:
/// the editors, the signing step, a refused form, the audit verification.
/// </summary>
public sealed partial class AccessibilityTests(PortalAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private static readonly AxeRunOptions Wcag21 = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        Rules = new Dictionary<string, RuleOptions> { ["label-content-name-mismatch"] = new RuleOptions { Enabled = true } },
    };

    /// <summary>Pages reached by following links; kept bounded so the test costs the same however much content there is.</summary>
    private const int MaxPages = 80;

    /// <summary>Pages of one shape (same path with ids replaced, same query keys) scanned at most this often.</summary>
    private const int PerShape = 2;

    private readonly List<string> scanned = [];

    // Proof that the experimental rule was really in the run (axe leaves it out unless asked): it is in some result list.
    private bool nameMismatchRuleRan;

    /// <summary>The two screens every page is checked at (issue 26): a laptop and a phone.</summary>
    private static readonly (int Width, int Height)[] Screens = [(1366, 900), (390, 844)];

    /// <summary>axe at 1366×900 and at 390×844; at 390 px the page must not scroll sideways either.</summary>
    private async Task AssertNoViolationsAsync(IPage page, string name)
    {
        foreach (var (width, height) in Screens)
        {
            await page.SetViewportSizeAsync(width, height);
            // htmx fragments that load on their own (presence, previews) are part of the page people see.
            await page.WaitForFunctionAsync("() => !document.querySelector('.htmx-request')");
            var result = await page.RunAxe(Wcag21);
            var at = $"{name} at {width} px";
            foreach (var violation in result.Violations)
            {
                Log($"{at}: [{violation.Impact}] {violation.Id}: {violation.Help} ({string.Join(", ", violation.Nodes.Select(n => n.Target?.ToString()))})");
            }

            scanned.Add(name);
            nameMismatchRuleRan |= result.Passes.Concat(result.Violations).Concat(result.Incomplete).Concat(result.Inapplicable)
                .Any(r => r.Id == "label-content-name-mismatch");
            Assert.True(result.Violations.Length == 0, $"{at} ({page.Url}): " + string.Join("; ", result.Violations.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}")));
            var pageWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            Assert.True(pageWidth <= width, $"{at} ({page.Url}) scrolls sideways: {pageWidth} px wide");
        }

        await page.SetViewportSizeAsync(Screens[0].Width, Screens[0].Height);
    }

    /// <summary>Follows the links from the start pages, scanning each page (bounded as above); returns the pages scanned.</summary>
    private async Task<int> CrawlAsync(IPage page, IEnumerable<string> start, int maxPages)
    {
        var origin = new Uri(page.Url).GetLeftPart(UriPartial.Authority);
        var queue = new Queue<string>(start);
        var queued = new HashSet<string>(queue);
        var shapes = new Dictionary<string, int>();
        var visited = 0;
        while (queue.Count > 0 && visited < maxPages)
        {
            var url = queue.Dequeue();
            var response = await page.GotoAsync(url);
            Assert.True(response is { Ok: true }, $"{url} answered {response?.Status}");
            visited++;
            await AssertNoViolationsAsync(page, url);

            var hrefs = await page.Locator("a[href]").EvaluateAllAsync<string[]>("links => links.map(a => a.href)");
            foreach (var href in hrefs)
            {
                if (!href.StartsWith(origin, StringComparison.Ordinal))
                {
                    continue;
                }

                var target = new Uri(href);
                var local = target.PathAndQuery;
                if (!IsPage(target) || !queued.Add(local))
                {
                    continue;
                }

                var shape = Shape(target);
                shapes[shape] = shapes.GetValueOrDefault(shape) + 1;
                if (shapes[shape] <= PerShape)
                {
                    queue.Enqueue(local);
                }
            }
        }

        return visited;
    }

    [Theory]
    [InlineData(Editor)]
    [InlineData(Reviewer)]
    [InlineData(Publisher)]
    public Task Every_page_each_role_can_reach_meets_wcag_2_1_aa_on_a_laptop_and_a_phone(string email) => RunAsync(async () =>
    {
        var page = await NewPageAsync();
        if (email == Reviewer)
        {
            // Something of the reviewer's own to review, so the queue and the review screen have content.
            await LogInAsync(page, Editor);
            await OpenDocumentAsync(page, "Spinal tumor");
            await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
            var body = page.GetByLabel("Body", new() { Exact = true });
            await body.FillAsync((await body.InputValueAsync()) + "\nOne more line for the reviewer's scan.");
            await page.GetByLabel("Change note", new() { Exact = true }).FillAsync("One more line.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Submit for review", Exact = true }).ClickAsync();
            await Expect(page.GetByText("was submitted for review.")).ToBeVisibleAsync();
            await LogOutAsync(page);
        }

        await LogInAsync(page, email);
        // Each role starts from the pages its navigation offers (a page it may not open answers 403, a console error).
        string[] start = email switch
        {
            Reviewer => ["/", "/Content", "/Review", "/Audit", "/Comments", "/Account/ChangePassword"],
            Publisher => ["/", "/Content", "/Publish", "/Account/ChangePassword"],
            _ => ["/", "/Content", "/Content?q=back+pain", "/Content/Create", "/Comments", "/Feedback", "/Account/ChangePassword"],
        };
        var visited = await CrawlAsync(page, start, MaxPages / 2);
        Log($"{email}: scanned {visited} pages at both sizes: {string.Join(" ", scanned.Distinct())}");
        Assert.Contains(scanned, s => s.StartsWith("/Content/Details/", StringComparison.OrdinalIgnoreCase));
        if (email == Reviewer)
        {
            Assert.Contains(scanned, s => s.StartsWith("/Review/Version/", StringComparison.OrdinalIgnoreCase));
        }

        Assert.True(nameMismatchRuleRan, "label-content-name-mismatch never ran");
        Assert.Empty(BrowserErrors);
    });

    [Fact]
    public Task On_a_phone_the_navigation_folds_behind_a_menu_button_that_keeps_the_counts() => RunAsync(async () =>
    {
        var page = await NewPageAsync();
        await page.SetViewportSizeAsync(390, 844);
        await LogInAsync(page, "admin@contentportal.test");
        var menu = page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Menu") });
        var users = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Users", Exact = true });
        await Expect(menu).ToBeVisibleAsync();
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(users).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log out", Exact = true })).ToBeInViewportAsync();
        await menu.ClickAsync();
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(users).ToBeInViewportAsync();
        await users.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/Admin/Users$"));
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390);

        // On a laptop there is no menu button: the links are all in view.
        await page.SetViewportSizeAsync(1366, 900);
        await Expect(menu).ToBeHiddenAsync();
        await Expect(users).ToBeVisibleAsync();
        Assert.Empty(BrowserErrors);
    });

    [Fact]
    public Task Every_page_an_administrator_can_reach_meets_wcag_2_1_aa() => RunAsync(async () =>
    {
        var page = await NewPageAsync();

        // Something waiting for review, so the queue, the review page and the signing step exist.
        await LogInAsync(page, Editor);
        await OpenDocumentAsync(page, "Pulled muscle or strain");
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
        var body = page.GetByLabel("Body", new() { Exact = true });
        await body.FillAsync((await body.InputValueAsync()) + "\nOne more line for the accessibility scan.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft", Exact = true }).ClickAsync();
        await Expect(page.Locator("#save-status")).ToHaveAttributeAsync("data-state", "saved");
        await page.GetByLabel("Change note", new() { Exact = true }).FillAsync("One more line.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit for review", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Version 2 was submitted for review.")).ToBeVisibleAsync();
        await LogOutAsync(page);

        await LogInAsync(page, "admin@contentportal.test");
        var visited = await CrawlAsync(page, ["/", "/Content", "/Content/Create", "/Review", "/Publish", "/Comments", "/Audit",
            "/Admin/Users", "/Admin/Users/Create", "/Admin/Webhooks", "/Admin/Claims", "/Account/ChangePassword", "/Status", "/Feedback"], MaxPages);
        Log($"Scanned {visited} pages: {string.Join(" ", scanned)}");
        foreach (var expected in new[] { "/Content/Details/", "/Content/Compare/", "/Content/Record/", "/Content/Preview/", "/Content/Slug/", "/Review/Version/", "/Admin/Users/Edit/" })
        {
            Assert.Contains(scanned, s => s.StartsWith(expected, StringComparison.OrdinalIgnoreCase));
        }

        Assert.True(nameMismatchRuleRan, "label-content-name-mismatch never ran");

        // Pages reached by a form rather than a link, and states that only follow an action.
        await page.GotoAsync("/Publish/Republish/1");
        await AssertNoViolationsAsync(page, "republish");

        // Withdraw on a date: reached from a published document's page.
        await page.GotoAsync("/Content");
        await page.GetByRole(AriaRole.Link, new() { Name = "Spinal tumor", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Withdraw on a date…", Exact = true }).ClickAsync();
        await AssertNoViolationsAsync(page, "withdraw");

        await page.GotoAsync("/Review");
        await page.GetByRole(AriaRole.Link, new() { Name = "Pulled muscle or strain", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();
        await Expect(page.Locator("form.sign-form")).ToBeVisibleAsync();
        await AssertNoViolationsAsync(page, "signing step");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign and approve", Exact = true }).ClickAsync();
        await Expect(page.Locator(".field-validation-error, .validation-summary-errors").First).ToBeVisibleAsync();
        await AssertNoViolationsAsync(page, "signing step refused");

        await page.GotoAsync("/Content/Create");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create draft", Exact = true }).ClickAsync();
        await Expect(page.Locator(".field-validation-error").First).ToBeVisibleAsync();
        await AssertNoViolationsAsync(page, "create refused");

        await page.GotoAsync("/Audit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify the chain", Exact = true }).ClickAsync();
        await Expect(page.Locator("#verify-result")).Not.ToBeEmptyAsync();
        await AssertNoViolationsAsync(page, "audit verified");

        // A review link for a guest: made on the review screen, then opened without an account.
        await page.GotoAsync("/Review");
        await page.GetByRole(AriaRole.Link, new() { Name = "Pulled muscle or strain", Exact = true }).ClickAsync();
        await page.GetByLabel("Guest's name", new() { Exact = true }).FillAsync("Dr Priya Shah");
        await page.GetByRole(AriaRole.Button, new() { Name = "Make a review link", Exact = true }).ClickAsync();
        var linkUrl = await page.Locator(".new-link").InputValueAsync();
        await AssertNoViolationsAsync(page, "review link made");
        var guest = await NewPageAsync();
        await guest.GotoAsync(linkUrl!);
        await Expect(guest.GetByText("Dr Priya Shah (guest, via link)").First).ToBeVisibleAsync();
        await AssertNoViolationsAsync(guest, "guest review link");

        // Each editor stays open to the end: leaving one would abort its htmx requests (preview, presence),
        // which the browser logs as errors.
        var articleEditor = await NewPageAsync();
        await LogInAsync(articleEditor, "admin@contentportal.test");
        await OpenDocumentAsync(articleEditor, "Disc degeneration");
        await articleEditor.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
        await Expect(articleEditor.Locator("#preview article")).ToBeVisibleAsync();
        await AssertNoViolationsAsync(articleEditor, "article editor");

        await OpenDocumentAsync(page, "Lower back pain: when to see a doctor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add red flag", Exact = true }).ClickAsync();
        await Expect(page.Locator("li.flag-row").Last).ToBeVisibleAsync();
        await AssertNoViolationsAsync(page, "red-flag editor");

        // The signed-out pages get a browser context of their own.
        var visitor = await NewPageAsync();
        await visitor.GotoAsync("/Account/Login");
        await AssertNoViolationsAsync(visitor, "login");
        await visitor.GetByLabel("Email", new() { Exact = true }).FillAsync("nobody@contentportal.test");
        await visitor.GetByLabel("Password", new() { Exact = true }).FillAsync("wrong");
        await visitor.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(visitor.Locator(".validation-summary-errors, .field-validation-error").First).ToBeVisibleAsync();
        await AssertNoViolationsAsync(visitor, "login refused");

        await LogInAsync(visitor, Editor);
        await visitor.GotoAsync("/Admin/Users");
        await AssertNoViolationsAsync(visitor, "access denied");
        // The browser reports the refused page's 403 as a console error; anything else is a fault.
        Assert.DoesNotContain(BrowserErrors, e => !e.Contains("/Admin/Users: Failed to load resource: the server responded with a status of 403", StringComparison.Ordinal));
    });

    /// <summary>Portal pages only: not the API, the feed, static files, downloads or log-out.</summary>
    private static bool IsPage(Uri target)
    {
        var path = target.AbsolutePath;
        return !path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase)
            && !path.StartsWith("/openapi", StringComparison.OrdinalIgnoreCase)
            && !path.StartsWith("/lib/", StringComparison.OrdinalIgnoreCase)
            && !Path.HasExtension(path)
            && !path.Contains("Logout", StringComparison.OrdinalIgnoreCase)
            && !target.Query.Contains("handler=", StringComparison.OrdinalIgnoreCase);
    }

    private static string Shape(Uri target)
    {
        var keys = target.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')[0]).Order();
        return Id().Replace(target.AbsolutePath, "{id}") + "?" + string.Join("&", keys);
    }

    [GeneratedRegex(@"[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}|\d+")]
    private static partial Regex Id();
}
