using System.Text.RegularExpressions;

namespace ContentPortal.BrowserTests;

/// <summary>
/// Issue 12 in a real browser: the reading age beside the preview follows typing (debounced, one htmx
/// fragment) and marks the hardest sentence; signing a version above the target asks for a reason.
/// </summary>
public sealed class ClinicalQualityTests(PortalAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private const string Title = "Disc degeneration";

    private const string Hard =
        "Nonsteroidal anti-inflammatory medication administration necessitates comprehensive evaluation of gastrointestinal, " +
        "cardiovascular and renal contraindications, particularly considering polypharmacy, immunosuppression and anticoagulation.";

    [Fact]
    public Task Typing_a_long_sentence_raises_the_reading_age_and_signing_above_target_asks_for_a_reason() => RunAsync(async () =>
    {
        var page = await NewPageAsync();
        await LogInAsync(page, Editor);
        await OpenDocumentAsync(page, Title);
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();

        var readingAge = page.Locator("#preview [data-reading-age]");
        await Expect(readingAge).ToBeVisibleAsync();
        var before = int.Parse((await readingAge.GetAttributeAsync("data-reading-age"))!);

        var body = page.GetByLabel("Body", new() { Exact = true });
        await body.FillAsync((await body.InputValueAsync()).TrimEnd() + "\n\n" + Hard + " " + Hard.Replace("Nonsteroidal", "Additionally,") + "\n");
        await Expect(page.Locator("#preview .rendered mark.hard-sentence").Filter(new() { HasText = "Nonsteroidal anti-inflammatory medication administration" })).ToBeVisibleAsync();
        var after = int.Parse((await readingAge.GetAttributeAsync("data-reading-age"))!);
        Assert.True(after > before, $"reading age {before} → {after}");
        Assert.True(after > 12, $"reading age {after} should be above the default target of 12");
        await Expect(page.Locator("#preview")).ToContainTextAsync("against a target of 12");

        await page.GetByLabel("Change note", new() { Exact = true }).FillAsync("Adds the medicines caution");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit for review", Exact = true }).ClickAsync();
        await Expect(page.GetByText("was submitted for review.")).ToBeVisibleAsync();
        await LogOutAsync(page);

        await LogInAsync(page, Reviewer);
        await NavLink(page, "Review").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = Title, Exact = true }).ClickAsync();
        await Expect(page.Locator(".quality .reading-age")).ToContainTextAsync(new Regex(@"Reading age \d+\s+against a target of 12"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();
        var reason = page.GetByLabel(new Regex("above the target of 12: why approve it as it is"));
        await Expect(reason).ToBeVisibleAsync();

        // Without a reason nothing is signed, and the message is at the field.
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(App.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign and approve", Exact = true }).ClickAsync();
        await Expect(page.Locator("[data-valmsg-for=ReadabilityReason]")).ToContainTextAsync("Say briefly why it should be approved as it is.");

        await page.GetByLabel(new Regex("above the target of 12: why approve it as it is")).FillAsync("Drug safety terms cannot be simplified.");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(App.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign and approve", Exact = true }).ClickAsync();
        await Expect(page.GetByText($"{Title}, version 2, was signed and approved.")).ToBeVisibleAsync();
        Assert.Empty(BrowserErrors);
    });
}
