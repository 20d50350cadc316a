using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;

namespace ContentPortal.BrowserTests;

/// <summary>axe-core over the workspace pages: no serious or critical violations.</summary>
public sealed class AccessibilityTests(PortalAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private async Task AssertNoSeriousViolationsAsync(IPage page, string name)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        foreach (var violation in result.Violations)
        {
            Log($"{name}: [{violation.Impact}] {violation.Id}: {violation.Help} ({string.Join(", ", violation.Nodes.Select(n => n.Target?.ToString()))})");
        }

        Assert.True(serious.Count == 0, $"{name}: " + string.Join("; ", serious.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}")));
    }

    [Fact]
    public Task Dashboard_list_both_editors_and_the_diff_page_have_no_serious_violations() => RunAsync(async () =>
    {
        var page = await NewPageAsync();
        await LogInAsync(page, "admin@contentportal.test");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();
        await AssertNoSeriousViolationsAsync(page, "dashboard");

        await NavLink(page, "Content").ClickAsync();
        await AssertNoSeriousViolationsAsync(page, "content list");

        await OpenDocumentAsync(page, "Pulled muscle or strain");
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
        await Expect(page.Locator("#preview article")).ToBeVisibleAsync();
        var body = page.GetByLabel("Body", new() { Exact = true });
        await body.FillAsync((await body.InputValueAsync()) + "\nOne more line.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft", Exact = true }).ClickAsync();
        await Expect(page.Locator("#save-status")).ToHaveAttributeAsync("data-state", "saved");
        await AssertNoSeriousViolationsAsync(page, "article editor");

        await page.GetByRole(AriaRole.Link, new() { Name = "History", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Compare with v1 (changes in v2)" }).ClickAsync();
        await AssertNoSeriousViolationsAsync(page, "diff inline");
        await page.GetByRole(AriaRole.Link, new() { Name = "Side by side", Exact = true }).ClickAsync();
        await AssertNoSeriousViolationsAsync(page, "diff side by side");

        await OpenDocumentAsync(page, "Lower back pain: when to see a doctor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add red flag", Exact = true }).ClickAsync();
        await Expect(page.Locator("li.flag-row").Last).ToBeVisibleAsync();
        await AssertNoSeriousViolationsAsync(page, "red-flag editor");
        Assert.Empty(BrowserErrors);
    });
}
