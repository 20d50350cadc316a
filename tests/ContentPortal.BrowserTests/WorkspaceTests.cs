using System.Text.RegularExpressions;

namespace ContentPortal.BrowserTests;

/// <summary>The editorial workspace in a real browser: preview, autosave, conflicts, red flags, diffs, an expired session.</summary>
public sealed partial class WorkspaceTests(PortalAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private const string Editor2 = "editor2@contentportal.test";

    private static ILocator Status(IPage page) => page.Locator("#save-status");

    private async Task<IPage> EditAsync(string email, string title)
    {
        var page = await NewPageAsync();
        await LogInAsync(page, email);
        await OpenDocumentAsync(page, title);
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(EditUrl());
        return page;
    }

    /// <summary>
    /// Before a test ends the session by clearing cookies: every signed-in answer renews the session cookie (the
    /// security stamp is checked on each request), so an answer still on its way (the preview the editor loads
    /// with) would set it again without the antiforgery cookie, and the next save would be a 400, not a 401.
    /// </summary>
    private static Task QuietAsync(IPage page) => page.WaitForLoadStateAsync(LoadState.NetworkIdle);

    /// <summary>Errors other than the browser's own note about the 409 answer the conflict screen is built on.</summary>
    private List<string> UnexpectedErrors() =>
        BrowserErrors.Where(e => !e.Contains("status of 409", StringComparison.Ordinal)).ToList();

    [Fact]
    public Task Live_preview_follows_typing_and_autosave_reports_its_status() => RunAsync(async () =>
    {
        var page = await EditAsync(Editor, "Pulled muscle or strain");
        await Expect(Status(page)).ToHaveAttributeAsync("data-state", "saved");
        var body = page.GetByLabel("Body", new() { Exact = true });
        // Every state the status shows, recorded as it happens: on a slow machine the autosave can be done before a
        // check between typing and "saved" looks (a CI run saw "saved" already), so the states are asserted in order.
        await page.EvaluateAsync(@"() => {
            window.saveStates = [];
            const note = () => {
                const status = document.getElementById('save-status');
                const seen = status && status.getAttribute('data-state') + '|' + status.textContent.trim();
                if (seen && window.saveStates[window.saveStates.length - 1] !== seen) window.saveStates.push(seen);
            };
            new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-state'] });
        }");

        await body.ClickAsync();
        await page.Keyboard.PressAsync("Control+End");
        await body.PressSequentiallyAsync("\n\nA **brisk walk** helps.", new() { Delay = 20 });

        await Expect(page.Locator("#preview strong")).ToHaveTextAsync("brisk walk"); // rendered Markdown, not the source
        // "Unsaved changes" or "Saving…" first, then "Saved".
        await page.WaitForFunctionAsync(@"() => {
            const changed = window.saveStates.findIndex(s => /^(unsaved\|Unsaved changes|saving\|Saving…)/.test(s));
            return changed >= 0 && window.saveStates.slice(changed + 1).some(s => s.startsWith('saved|Saved'));
        }", null, new() { Timeout = 10_000 });
        await Expect(Status(page)).ToHaveAttributeAsync("data-state", "saved");
        await Expect(Status(page)).ToContainTextAsync("Saved");
        await ShotAsync(page, "workspace-editor-autosaved");

        // Stored, not just shown: a fresh load of the editor has it.
        await page.ReloadAsync();
        await Expect(page.GetByLabel("Body", new() { Exact = true })).ToHaveValueAsync(new Regex("A \\*\\*brisk walk\\*\\* helps\\.$"));
        Assert.Empty(BrowserErrors);
    });

    [Fact]
    public Task Health_aspects_follow_the_body_and_the_editor_picks_one() => RunAsync(async () =>
    {
        var page = await EditAsync(Editor, "Pulled muscle or strain");
        await Expect(Status(page)).ToHaveAttributeAsync("data-state", "saved");
        var body = page.GetByLabel("Body", new() { Exact = true });

        await body.ClickAsync();
        await page.Keyboard.PressAsync("Control+End");
        await body.PressSequentiallyAsync("\n\n## How to ease the pain\n\nRest for a day or two.", new() { Delay = 10 });
        await page.GetByLabel("Summary", new() { Exact = true }).FocusAsync(); // leaving the body: the rows follow its sections

        var select = page.GetByLabel("How to ease the pain", new() { Exact = true });
        await Expect(select).ToHaveValueAsync(""); // suggested, not chosen
        await Expect(select.Locator("option:checked")).ToHaveTextAsync("Treatments (suggested)");
        await select.SelectOptionAsync("SelfCare");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft", Exact = true }).ClickAsync();
        await Expect(Status(page)).ToHaveAttributeAsync("data-state", "saved");

        await page.ReloadAsync();
        await Expect(page.GetByLabel("How to ease the pain", new() { Exact = true })).ToHaveValueAsync("SelfCare");
        await page.SetViewportSizeAsync(390, 844);
        await page.Locator("#aspects").ScrollIntoViewIfNeededAsync();
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth"));
        await ShotAsync(page, "workspace-health-aspects-390");
        Assert.Empty(BrowserErrors);
    });

    [Fact]
    public Task Two_editors_on_one_draft_the_second_sees_both_texts_and_keeps_theirs() => RunAsync(async () =>
    {
        var erin = await EditAsync(Editor, "Disc degeneration");
        var eddie = await NewPageAsync();
        await LogInAsync(eddie, Editor2);
        await eddie.GotoAsync(erin.Url);
        await Expect(eddie.Locator("#presence")).ToContainTextAsync("Erin Editor"); // the soft presence note

        // Eddie saves first; Erin, still on her copy, then types: her autosave is refused and she gets the conflict screen.
        await eddie.GetByLabel("Summary", new() { Exact = true }).FillAsync("Eddie's summary about discs.");
        await eddie.GetByRole(AriaRole.Button, new() { Name = "Save draft", Exact = true }).ClickAsync();
        await Expect(Status(eddie)).ToHaveAttributeAsync("data-state", "saved");
        await erin.GetByLabel("Summary", new() { Exact = true }).FillAsync("Erin's summary about discs.");

        var conflict = erin.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Someone else saved this draft" });
        await Expect(conflict).ToBeVisibleAsync();
        await Expect(conflict).ToContainTextAsync("Eddie Second-Editor");
        // Side by side, the differing word marked in each (removed from theirs / added in mine).
        await Expect(conflict.Locator("[data-side=theirs] del")).ToContainTextAsync("Eddie's");
        await Expect(conflict.Locator("[data-side=theirs]")).ToContainTextAsync("summary about discs.");
        await Expect(conflict.Locator("[data-side=mine] ins")).ToContainTextAsync("Erin's");
        await Expect(conflict.Locator("[data-side=mine]")).Not.ToContainTextAsync("Eddie's");
        await Expect(erin.GetByLabel("Summary", new() { Exact = true })).ToHaveValueAsync("Erin's summary about discs."); // her text intact
        await ShotAsync(erin, "workspace-conflict");

        await erin.GetByRole(AriaRole.Button, new() { Name = "Keep mine", Exact = true }).ClickAsync();
        await Expect(conflict).ToHaveCountAsync(0);
        await Expect(Status(erin)).ToHaveAttributeAsync("data-state", "saved");
        await eddie.ReloadAsync();
        await Expect(eddie.GetByLabel("Summary", new() { Exact = true })).ToHaveValueAsync("Erin's summary about discs.");
        Assert.Empty(UnexpectedErrors());
    });

    [Fact]
    public Task Red_flags_are_added_reordered_and_removed_as_fragments() => RunAsync(async () =>
    {
        var page = await EditAsync(Editor, "Lower back pain: when to see a doctor");
        var rows = page.Locator("li.flag-row");
        var count = await rows.CountAsync();
        var firstSymptom = await page.Locator("#Input_Flags_0__Symptom").InputValueAsync();
        var url = page.Url;

        await page.GetByRole(AriaRole.Button, new() { Name = "Add red flag", Exact = true }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(count + 1);
        await Expect(page.Locator($"#Input_Flags_{count}__Symptom")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Loss of feeling in both legs");
        await page.Locator($"#Input_Flags_{count}__Advice").FillAsync("Call 999 now.");
        await page.Locator($"#Input_Flags_{count}__Urgency").SelectOptionAsync("emergency");
        await Expect(rows.Nth(count).Locator("[data-urgency-label]")).ToHaveTextAsync("Emergency"); // text, not colour alone

        await page.GetByRole(AriaRole.Button, new() { Name = $"Move up red flag {count + 1}", Exact = true }).ClickAsync();
        await Expect(page.Locator($"#Input_Flags_{count - 1}__Symptom")).ToHaveValueAsync("Loss of feeling in both legs");
        await Expect(page.Locator($"#flag-{count - 1}-up")).ToBeFocusedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Move down red flag 1", Exact = true }).ClickAsync();
        await Expect(page.Locator("#Input_Flags_1__Symptom")).ToHaveValueAsync(firstSymptom);
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove red flag 2", Exact = true }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(count);
        Assert.Equal(url, page.Url); // fragment updates, no page loads
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft", Exact = true }).ClickAsync();
        await Expect(Status(page)).ToHaveAttributeAsync("data-state", "saved");
        await ShotAsync(page, "workspace-red-flags");

        await page.ReloadAsync();
        await Expect(page.Locator($"#Input_Flags_{count - 2}__Symptom")).ToHaveValueAsync("Loss of feeling in both legs");
        await Expect(page.Locator("li.flag-row")).ToHaveCountAsync(count);

        // An empty symptom: autosave refuses it with the message at the field (and in the status line), the typing undisturbed...
        await page.Locator("#Input_Flags_0__Symptom").FillAsync("");
        await Expect(page.Locator("[data-valmsg-for='Input.Flags[0].Symptom']")).ToHaveTextAsync("Enter the symptom.");
        await Expect(Status(page)).ToHaveAttributeAsync("data-state", "error");
        await Expect(Status(page)).ToContainTextAsync("Not saved: Red flag 1, symptom: Enter the symptom.");
        // ...and once fixed, the message goes and the draft is saved.
        await page.Locator("#Input_Flags_0__Symptom").FillAsync(firstSymptom);
        await Expect(page.Locator("[data-valmsg-for='Input.Flags[0].Symptom']")).ToHaveTextAsync("");
        await Expect(Status(page)).ToHaveAttributeAsync("data-state", "saved");
        Assert.Empty(BrowserErrors);
    });

    [Fact]
    public Task The_diff_shows_an_inserted_word() => RunAsync(async () =>
    {
        var page = await EditAsync(Editor, "Ankylosing spondylitis");
        var body = page.GetByLabel("Body", new() { Exact = true });
        var text = await body.InputValueAsync();
        var firstSentenceEnd = text.IndexOf(' ', StringComparison.Ordinal);
        await body.FillAsync(text[..firstSentenceEnd] + " GIRAFFE" + text[firstSentenceEnd..]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft", Exact = true }).ClickAsync();
        await Expect(Status(page)).ToHaveAttributeAsync("data-state", "saved");

        await page.GetByRole(AriaRole.Link, new() { Name = "History", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Compare with v1 (changes in v2)" }).ClickAsync();
        var inserted = page.Locator("[data-side=inline] ins");
        await Expect(inserted).ToHaveCountAsync(1);
        await Expect(inserted).ToContainTextAsync("GIRAFFE");
        await Expect(page.Locator("[data-side=inline] del")).ToHaveCountAsync(0);
        await ShotAsync(page, "workspace-diff-inline");

        await page.GetByRole(AriaRole.Link, new() { Name = "Side by side", Exact = true }).ClickAsync();
        await Expect(page.Locator("[data-side=new] ins")).ToContainTextAsync("GIRAFFE");
        await Expect(page.Locator("[data-side=old]")).Not.ToContainTextAsync("GIRAFFE");
        Assert.Empty(BrowserErrors);
    });

    [Fact]
    public Task Text_typed_when_the_session_expired_comes_back_after_the_login() => RunAsync(async () =>
    {
        var page = await EditAsync(Editor, "Spinal tumor");
        var editUrl = page.Url;
        await QuietAsync(page);
        await page.Context.ClearCookiesAsync(); // the session ends while the editor types

        await page.GetByLabel("Summary", new() { Exact = true }).FillAsync("Typed after the session expired.");

        // Autosave finds no session: the login page comes back, then the editor with the kept text on offer.
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true })).ToBeVisibleAsync();
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(Editor);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(App.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(editUrl);
        var banner = page.Locator("#local-copy");
        await Expect(banner).ToBeVisibleAsync();
        await ShotAsync(page, "workspace-kept-copy");
        await page.GetByRole(AriaRole.Button, new() { Name = "Restore my unsaved text", Exact = true }).ClickAsync();

        await Expect(page.GetByLabel("Summary", new() { Exact = true })).ToHaveValueAsync("Typed after the session expired.");
        await Expect(Status(page)).ToHaveAttributeAsync("data-state", "saved");
        await page.ReloadAsync();
        await Expect(page.GetByLabel("Summary", new() { Exact = true })).ToHaveValueAsync("Typed after the session expired.");
        await Expect(banner).ToBeHiddenAsync();
        Assert.DoesNotContain(BrowserErrors, e => !e.Contains("status of 401", StringComparison.Ordinal));
    });

    [Fact]
    public Task Two_answers_that_find_the_session_gone_load_the_login_page_once() => RunAsync(async () =>
    {
        var page = await EditAsync(Editor, "Spinal tumor");
        var editUrl = page.Url;
        var loginLoads = 0;
        page.Request += (_, request) =>
        {
            if (request.IsNavigationRequest && request.Url.Contains("/Account/Login", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref loginLoads);
            }
        };
        await QuietAsync(page);
        await page.Context.ClearCookiesAsync();

        // The autosave and the preview go out together, and each answers 401 with a redirect to the login.
        await page.GetByLabel("Summary", new() { Exact = true }).FillAsync("Typed while two requests were out.");
        await page.EvaluateAsync("() => { htmx.trigger('#autosave', 'autosave'); htmx.trigger('#draft-form', 'change'); }");

        var logIn = page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true });
        await Expect(logIn).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Equal(1, loginLoads);

        // The one login page's form and antiforgery cookie belong together: logging in works.
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(Editor);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(App.DemoPassword);
        await logIn.ClickAsync();
        await Expect(page).ToHaveURLAsync(editUrl);
        await Expect(page.Locator("#local-copy")).ToBeVisibleAsync();
        Assert.DoesNotContain(BrowserErrors, e => !e.Contains("status of 401", StringComparison.Ordinal));
    });

    [GeneratedRegex(@"/Content/Edit/[0-9a-f-]{36}$")]
    private static partial Regex EditUrl();
}
