namespace ContentPortal.BrowserTests;

/// <summary>
/// Clinical sign-off end to end: a reviewer sends a version back with a comment, the editor replies
/// in the thread and resubmits, a second reviewer signs with their password (a wrong one first), and
/// the signature shows on the version page; the audit chain then verifies.
/// </summary>
public sealed class SignOffTests(PortalAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private const string Title = "Spinal tumor";
    private const string Reviewer2 = "reviewer2@contentportal.test";
    private const string Ask = "Please say when to get urgent care.";
    private const string Reply = "Added a sentence on urgent care.";
    private const string Added = "If the pain comes with weakness or numbness, get urgent care.";

    [Fact]
    public Task Changes_requested_reply_resubmit_and_a_second_reviewer_signs_with_password() => RunAsync(async () =>
    {
        var page = await NewPageAsync();

        await LogInAsync(page, Editor);
        await OpenDocumentAsync(page, Title);
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
        await page.GetByLabel("Change note", new() { Exact = true }).FillAsync("Clarify night pain");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit for review", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Version 2 was submitted for review.")).ToBeVisibleAsync();
        await LogOutAsync(page);

        // Reviewer 1 claims it and requests changes with a comment.
        await LogInAsync(page, Reviewer);
        await NavLink(page, "Review").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = Title, Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Claim for review", Exact = true }).ClickAsync();
        await Expect(page.GetByText("You claimed this version")).ToBeVisibleAsync();
        await page.GetByLabel("Comment", new() { Exact = true }).FillAsync(Ask);
        await page.GetByRole(AriaRole.Button, new() { Name = "Request changes", Exact = true }).ClickAsync();
        await Expect(page.GetByText($"{Title}, version 2, was sent back to the editors with your comment.")).ToBeVisibleAsync();
        await LogOutAsync(page);

        // The editor replies in the thread, edits, resubmits.
        await LogInAsync(page, Editor);
        await OpenDocumentAsync(page, Title);
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
        var threads = page.GetByRole(AriaRole.Region, new() { Name = "Comments", Exact = true });
        await Expect(threads).ToContainTextAsync(Ask);
        await threads.GetByLabel("Reply", new() { Exact = true }).FillAsync(Reply);
        await threads.GetByRole(AriaRole.Button, new() { Name = "Send reply", Exact = true }).ClickAsync();
        await Expect(threads.GetByText("Reply sent.")).ToBeVisibleAsync();
        await Expect(threads).ToContainTextAsync(Reply);
        var body = page.GetByLabel("Body", new() { Exact = true });
        await body.FillAsync((await body.InputValueAsync()).TrimEnd() + "\n\n" + Added + "\n");
        await page.GetByLabel("Change note", new() { Exact = true }).FillAsync("Added urgent-care advice");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit for review", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Version 3 was submitted for review.")).ToBeVisibleAsync();
        await LogOutAsync(page);

        // Reviewer 2 signs: a wrong password is refused at the field, the right one signs.
        await LogInAsync(page, Reviewer2);
        await NavLink(page, "Review").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = Title, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Comments", Exact = true })).ToContainTextAsync(Reply);
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();
        await Expect(page.GetByText("I approve this version for publication as clinically accurate.").First).ToBeVisibleAsync();
        await AnswerSigningChecksAsync(page);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("not-my-password-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign and approve", Exact = true }).ClickAsync();
        await Expect(page.GetByText("That password is not right. Nothing was signed.")).ToBeVisibleAsync();
        await AnswerSigningChecksAsync(page);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(App.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign and approve", Exact = true }).ClickAsync();
        await Expect(page.GetByText($"{Title}, version 3, was signed and approved.")).ToBeVisibleAsync();

        // The signature shows on the version page, verified against the content.
        await NavLink(page, "Content").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = Title, Exact = true }).ClickAsync();
        var signatures = page.GetByRole(AriaRole.Region, new() { Name = "Signatures", Exact = true });
        await Expect(signatures).ToContainTextAsync("Dr Ravi Second-Reviewer");
        await Expect(signatures).ToContainTextAsync("(Reviewer) signed");
        await Expect(signatures).ToContainTextAsync("I approve this version for publication as clinically accurate.");
        await Expect(signatures).ToContainTextAsync("Signature verified against the content");
        await Expect(page.Locator("article.rendered").GetByText(Added)).ToBeVisibleAsync();

        // Every step above is in the audit trail, and the chain verifies.
        await NavLink(page, "Audit").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify the chain", Exact = true }).ClickAsync();
        await Expect(page.GetByText("The chain is intact")).ToBeVisibleAsync();
        foreach (var action in new[] { "version.changes-requested", "comment.replied", "signature.refused", "version.signed", "version.approved" })
        {
            await Expect(page.Locator("#audit-results code", new() { HasTextString = action }).First).ToBeVisibleAsync();
        }
    });
}
