namespace ContentPortal.BrowserTests;

/// <summary>
/// Dual control in the browser (issue 24): an administrator asks for a new account with Reviewer; the role
/// waits on the Users page until a second administrator approves it there.
/// </summary>
public sealed class RoleGrantApprovalTests(PortalAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private const string Admin = "admin@contentportal.test";
    private const string SecondAdmin = "admin2@contentportal.test";
    private const string Name = "Dr Priya Shah";

    [Fact]
    public Task A_second_administrator_approves_a_reviewer_role_the_first_one_asked_for() => RunAsync(async () =>
    {
        var page = await NewPageAsync();
        await LogInAsync(page, Admin);
        await NavLink(page, "Users").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "New user", Exact = true }).ClickAsync();
        await page.GetByLabel("Full name", new() { Exact = true }).FillAsync(Name);
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync("priya.shah@example.org");
        await page.GetByLabel("Editor", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Reviewer", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create user", Exact = true }).ClickAsync();

        await Expect(page.GetByText("Granting Reviewer to Dr Priya Shah waits for a second administrator")).ToBeVisibleAsync();
        var waiting = page.GetByRole(AriaRole.Region, new() { Name = "Waiting for a second administrator", Exact = true });
        var request = waiting.GetByRole(AriaRole.Row).Filter(new() { HasText = $"Grant Reviewer to {Name}" });
        await Expect(request).ToContainTextAsync("A second administrator must approve.");
        await Expect(request.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true })).ToHaveCountAsync(0);
        await Expect(AccountRow(page)).ToContainTextAsync("Editor");
        await Expect(AccountRow(page)).Not.ToContainTextAsync("Reviewer");
        await ShotAsync(page, "role-grant-waiting");
        await LogOutAsync(page);

        await LogInAsync(page, SecondAdmin);
        await NavLink(page, "Users").ClickAsync();
        await request.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();

        await Expect(page.GetByText($"Approved: {Name} now holds Reviewer.")).ToBeVisibleAsync();
        await Expect(waiting).ToContainTextAsync("Nothing is waiting.");
        await Expect(AccountRow(page)).ToContainTextAsync("Reviewer");
        await ShotAsync(page, "role-grant-approved");
    });

    private static ILocator AccountRow(IPage page) =>
        page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = Name, Exact = true }) });
}
