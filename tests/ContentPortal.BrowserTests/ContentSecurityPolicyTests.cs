using Microsoft.Net.Http.Headers;

namespace ContentPortal.BrowserTests;

/// <summary>htmx has to work under the strict CSP (no inline script, no inline style, no eval).</summary>
public sealed class ContentSecurityPolicyTests(PortalAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private const string Title = "Spinal tumor";

    [Fact]
    public Task Edit_page_saves_through_htmx_without_console_errors_or_csp_violations() => RunAsync(async () =>
    {
        var page = await NewPageAsync();
        await LogInAsync(page, Editor);
        await OpenDocumentAsync(page, Title);

        var editPage = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync(),
            r => r.Request.Method == "GET" && r.Url.Contains("/Content/Edit/", StringComparison.Ordinal));
        var csp = await editPage.HeaderValueAsync(HeaderNames.ContentSecurityPolicy);
        Assert.NotNull(csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.htmx === 'object'"), "htmx did not load.");
        await Expect(page.Locator("#save-status")).Not.ToContainTextAsync("Saved");

        // A marker on window survives an htmx swap but not a page load.
        await page.EvaluateAsync("() => { window.__noReload = 'still here'; }");
        var navigations = 0;
        page.FrameNavigated += (_, frame) =>
        {
            if (frame == page.MainFrame)
            {
                navigations++;
            }
        };

        await page.GetByLabel("Summary", new() { Exact = true }).FillAsync("Back pain that worsens over time, especially lying down, needs checking.");
        var save = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Save draft", Exact = true }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.Contains("handler=Save", StringComparison.Ordinal));
        Assert.Equal(200, save.Status);
        Assert.Equal("true", await save.Request.HeaderValueAsync("HX-Request"));
        await Expect(page.Locator("#save-status")).ToContainTextAsync("Saved");
        await Expect(page.GetByLabel("Summary", new() { Exact = true })).ToHaveValueAsync("Back pain that worsens over time, especially lying down, needs checking.");
        // The saved time is localized by site.js after the swap (a <time> element, not the raw ISO string).
        await Expect(page.Locator("#save-status time")).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex(@"^\d{4}-\d{2}-\d{2}T"));

        Assert.Equal("still here", await page.EvaluateAsync<string?>("() => window.__noReload ?? null"));
        Assert.Equal(0, navigations);
        Assert.Empty(await CspViolationsAsync(page));
        Assert.Empty(BrowserErrors);
    });
}
