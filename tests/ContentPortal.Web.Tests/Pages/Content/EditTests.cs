using System.Net;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests.Pages.Content;

/// <summary>
/// The draft editor (Pages/Content/Edit): bad input is refused next to its field,
/// stale saves get the conflict screen, autosave and preview answer fragments, nothing half-saves.
/// Each test gets a fresh app: several need the seeded documents as seeded.
/// </summary>
public sealed class EditTests : IDisposable
{
    private readonly PortalFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task An_empty_title_is_refused_next_to_the_field_with_the_typed_body_kept_and_nothing_saved()
    {
        using var editor = await factory.LoginAsync(Editor);
        var id = await editor.CreateDocumentAsync("Title stays", "title-stays");
        var before = (await factory.DocumentAsync(id)).Latest;

        var form = (await editor.GetPageAsync($"/Content/Edit/{id}")).Form("#draft-form")
            .Set("Input.Title", "   ")
            .Set("Input.Body", "Typed body that must survive.\n\n- one\n- two");
        var response = await editor.SaveAsync(id, form);
        var page = await HtmlPage.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Enter a title.", page.FieldError("Input.Title"));
        Assert.Equal("Typed body that must survive.\n\n- one\n- two", page.FieldValue("Input.Body"));
        Assert.StartsWith("Not saved: Title: Enter a title.", page.Document.QuerySelector("#save-status")!.TextContent.Trim());

        var after = (await factory.DocumentAsync(id)).Latest;
        Assert.Equal((before.Title, before.BodyMarkdown, before.Revision), (after.Title, after.BodyMarkdown, after.Revision));
        var reload = await editor.GetPageAsync($"/Content/Edit/{id}");
        Assert.Equal("Title stays", reload.FieldValue("Input.Title"));
        Assert.Equal("", reload.FieldValue("Input.Body"));
    }

    [Fact]
    public async Task An_htmx_save_returns_only_the_form_and_a_plain_save_the_whole_page()
    {
        using var editor = await factory.LoginAsync(Editor);
        var id = await editor.CreateDocumentAsync("Htmx save", "htmx-save");
        var form = (await editor.GetPageAsync($"/Content/Edit/{id}")).Form("#draft-form");

        var htmx = await editor.SaveAsync(id, form.Set("Input.Body", "Saved by htmx."), htmx: true);
        var fragment = await HtmlPage.ReadAsync(htmx);
        Assert.Equal(HttpStatusCode.OK, htmx.StatusCode);
        Assert.DoesNotContain("<html", fragment.Html, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("<form id=\"draft-form\"", fragment.Html.TrimStart(), StringComparison.Ordinal);
        Assert.Contains("Saved", fragment.Document.QuerySelector("#save-status")!.TextContent);
        var revision = (await factory.DocumentAsync(id)).Latest.Revision;
        Assert.Equal(revision.ToString(System.Globalization.CultureInfo.InvariantCulture), fragment.FieldValue("Input.Revision"));

        // The fragment's new revision lets the next htmx save through.
        var next = fragment.Form("#draft-form").Set("Input.Body", "Saved by a plain post.");
        Assert.NotNull(next.Token);
        var plain = await editor.SaveAsync(id, next);
        var page = await HtmlPage.ReadAsync(plain);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Contains("<html", page.Html, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(page.Document.QuerySelector("main #draft-form"));
        Assert.Equal("", page.Summary);
        Assert.Equal("Saved by a plain post.", (await factory.DocumentAsync(id)).Latest.BodyMarkdown);
    }

    [Fact]
    public async Task A_body_over_200_KB_is_refused_with_the_limit_and_nothing_is_saved()
    {
        using var editor = await factory.LoginAsync(Editor);
        var id = await editor.CreateDocumentAsync("Long body", "long-body");
        var form = (await editor.GetPageAsync($"/Content/Edit/{id}")).Form("#draft-form")
            .Set("Input.Title", "Long body, renamed")
            .Set("Input.Body", new string('a', (200 * 1024) + 1));

        var response = await editor.SaveAsync(id, form);
        var page = await HtmlPage.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("the limit is 200 KB", page.FieldError("Input.Body"));
        var draft = (await factory.DocumentAsync(id)).Latest;
        Assert.Equal(("Long body", "", 1), (draft.Title, draft.BodyMarkdown, draft.Revision));

        // Exactly at the limit is fine.
        var atLimit = await editor.SaveAsync(id, page.Form("#draft-form").Set("Input.Body", new string('b', 200 * 1024)));
        Assert.Equal("", (await HtmlPage.ReadAsync(atLimit)).FieldError("Input.Body"));
        Assert.Equal(200 * 1024, (await factory.DocumentAsync(id)).Latest.BodyMarkdown.Length);
    }

    [Fact]
    public async Task A_body_over_200_KB_is_refused_at_the_field_with_the_text_back_and_nothing_saved()
    {
        var erin = (await factory.LoginAsync(Editor)).Http;
        var (_, url) = await OpenDraftBySlugAsync(erin, "spinal-tumor");
        var page = await erin.GetStringAsync(url);
        var before = (await factory.DocumentAsync("spinal-tumor")).OpenVersion!;
        var huge = "MARKER-7Q " + new string('x', VersionContent.MaxBodyBytes + 10);

        using var response = await erin.PostAsync($"{url}?handler=Save", Html.Form(Html.Token(page), Article("New title", huge, before.Revision)));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("the limit is 200 KB", html);
        Assert.Contains("data-valmsg-for=\"Input.Body\"", html);
        Assert.Contains("MARKER-7Q", html);
        var after = (await factory.DocumentAsync("spinal-tumor")).OpenVersion!;
        Assert.Equal((before.Title, before.Revision), (after.Title, after.Revision));
    }

    [Theory]
    [InlineData("NICE guideline", "Line 1: add a link starting with https:// after the source.")]
    [InlineData("NICE javascript:alert(1)", "Line 1: add a link starting with https:// after the source.")]
    public async Task A_bad_reference_is_refused_at_the_field(string references, string message)
    {
        var erin = (await factory.LoginAsync(Editor)).Http;
        var (_, url) = await OpenDraftBySlugAsync(erin, "lower-back-pain-when-lying-down");
        var page = await erin.GetStringAsync(url);

        using var response = await erin.PostAsync($"{url}?handler=Save", Html.Form(Html.Token(page), Article("Title", "Body", Html.Revision(page), references)));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains(System.Net.WebUtility.HtmlEncode(message).Replace("&#x2F;", "/"), html.Replace("&#x2F;", "/"));
        Assert.Contains("data-valmsg-for=\"Input.References\"", html);
    }

    [Fact]
    public async Task Saving_a_version_that_was_submitted_is_refused_clearly_and_changes_nothing()
    {
        using var editor = await factory.LoginAsync(Editor);
        var id = await editor.CreateDocumentAsync("Frozen version", "frozen-version");
        var edit = await editor.GetPageAsync($"/Content/Edit/{id}");
        var oldForm = edit.Form("#draft-form").Set("Input.Body", "Reviewed text.").Set("Input.ChangeNote", "Ready.");
        var submitted = await editor.PostFormAsync(Steps.EditUrl(id, "Submit"), oldForm.Copy());
        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        var frozen = (await factory.DocumentAsync(id)).Latest;
        Assert.Equal(VersionStatus.InReview, frozen.Status);

        var response = await editor.SaveAsync(id, oldForm.Set("Input.Body", "Sneaky change after submit."));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/Content/Details/{id}", response.Headers.Location?.OriginalString);
        var details = await editor.GetPageAsync($"/Content/Details/{id}");
        Assert.Contains("Version 1 is in review, so there is no draft to edit.", details.Text);

        var htmx = await editor.SaveAsync(id, oldForm, htmx: true);
        Assert.Equal(HttpStatusCode.OK, htmx.StatusCode);
        Assert.Equal($"/Content/Details/{id}", htmx.Headers.GetValues("HX-Redirect").Single());

        var submitAgain = await editor.PostFormAsync(Steps.EditUrl(id, "Submit"), oldForm);
        Assert.Equal(HttpStatusCode.Redirect, submitAgain.StatusCode);

        // The Edit button is refused too while it is in review.
        var open = await editor.PostFormAsync(Steps.DetailsUrl(id, "Open"), [], details.Token);
        Assert.Equal($"/Content/Details/{id}", open.Headers.Location?.OriginalString);
        Assert.Contains("Version 1 is in review. It can be edited again once a reviewer approves it or requests changes.", (await editor.GetPageAsync($"/Content/Details/{id}")).Text);

        var after = Assert.Single((await factory.DocumentAsync(id)).Versions);
        Assert.Equal((VersionStatus.InReview, "Reviewed text.", frozen.ContentHash, frozen.Revision), (after.Status, after.BodyMarkdown, after.ContentHash, after.Revision));
    }

    [Fact]
    public async Task A_save_from_a_stale_form_is_refused_and_keeps_the_second_editors_text()
    {
        using var first = await factory.LoginAsync(Editor);
        using var second = await factory.LoginAsync(Editor2);
        var id = await first.CreateDocumentAsync("Two editors", "two-editors");

        var firstForm = (await first.GetPageAsync($"/Content/Edit/{id}")).Form("#draft-form");
        var secondForm = (await second.GetPageAsync($"/Content/Edit/{id}")).Form("#draft-form");
        Assert.Equal(firstForm.Get("Input.Revision"), secondForm.Get("Input.Revision"));

        var saved = await first.SaveAsync(id, firstForm.Set("Input.Body", "First editor's text."));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal("", (await HtmlPage.ReadAsync(saved)).Summary);

        // Refused as a conflict (409): the conflict screen shows both texts, the second editor's text stays in the form.
        var stale = await second.SaveAsync(id, secondForm.Set("Input.Body", "Second editor's text.").Set("Input.Summary", "Second summary."));
        var page = await HtmlPage.ReadAsync(stale);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("Someone else saved this draft while you were editing", page.Text);
        Assert.Contains("Not saved: someone else saved first.", page.Document.QuerySelector("#save-status")!.TextContent);
        Assert.Equal("Second editor's text.", page.FieldValue("Input.Body"));
        Assert.Equal("Second summary.", page.FieldValue("Input.Summary"));

        // htmx: the same refusal inside the fragment.
        var htmx = await second.SaveAsync(id, secondForm, htmx: true);
        var fragment = await HtmlPage.ReadAsync(htmx);
        Assert.Equal(HttpStatusCode.Conflict, htmx.StatusCode);
        Assert.Contains("Someone else saved this draft while you were editing", fragment.Text);
        Assert.Equal("Second editor's text.", fragment.FieldValue("Input.Body"));

        var draft = (await factory.DocumentAsync(id)).Latest;
        Assert.Equal("First editor's text.", draft.BodyMarkdown);
        Assert.Equal("", draft.Summary);
        Assert.Equal(["Erin Editor"], draft.Authors.Select(a => a.DisplayName));
    }

    [Fact]
    public async Task Two_saves_of_the_same_revision_at_once_store_one_and_refuse_the_other()
    {
        using var first = await factory.LoginAsync(Editor);
        using var second = await factory.LoginAsync(Editor2);
        var id = await first.CreateDocumentAsync("Racing saves", "racing-saves");

        for (var round = 0; round < 5; round++)
        {
            var a = (await first.GetPageAsync($"/Content/Edit/{id}")).Form("#draft-form").Set("Input.Body", $"A{round}");
            var b = (await second.GetPageAsync($"/Content/Edit/{id}")).Form("#draft-form").Set("Input.Body", $"B{round}");
            var responses = await Task.WhenAll(first.SaveAsync(id, a, htmx: true), second.SaveAsync(id, b, htmx: true));
            var pages = await Task.WhenAll(responses.Select(HtmlPage.ReadAsync));

            // One save wins (200); the other gets the conflict screen (409) with its own text kept.
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
            var lost = Array.FindIndex(responses, r => r.StatusCode == HttpStatusCode.Conflict);
            Assert.Contains("Someone else saved this draft while you were editing", pages[lost].Text);
            Assert.Equal(lost == 0 ? $"A{round}" : $"B{round}", pages[lost].FieldValue("Input.Body"));
            var draft = (await factory.DocumentAsync(id)).Latest;
            Assert.Equal(lost == 0 ? $"B{round}" : $"A{round}", draft.BodyMarkdown);
        }
    }

    [Fact]
    public async Task Two_clients_with_one_token_the_second_gets_409_with_both_texts_and_can_keep_mine()
    {
        var erin = (await factory.LoginAsync(Editor)).Http;
        var eddie = (await factory.LoginAsync(Editor2)).Http;
        var (id, url) = await OpenDraftBySlugAsync(erin, "ankylosing-spondylitis");
        var erinPage = await erin.GetStringAsync(url);
        var eddiePage = await eddie.GetStringAsync(url);
        var token = Html.Revision(erinPage);
        Assert.Equal(token, Html.Revision(eddiePage));

        using var first = await erin.PostAsync($"{url}?handler=Save", Html.Form(Html.Token(erinPage), Article("Erin's title", "Erin's body", token)));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var second = await eddie.PostAsync($"{url}?handler=Save", Html.Form(Html.Token(eddiePage), Article("Eddie's title", "Eddie's body", token)));
        var conflict = await second.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("Someone else saved this draft while you were editing", conflict);
        Assert.Contains("Erin Editor", conflict);
        Assert.Contains("Erin&#x27;s", conflict); // their text, shown beside...
        Assert.Contains("Eddie&#x27;s body</textarea>", conflict); // ...mine, still in the form
        var stored = (await factory.DocumentAsync("ankylosing-spondylitis")).OpenVersion!;
        Assert.Equal(("Erin's title", "Erin's body"), (stored.Title, stored.BodyMarkdown));

        // Keep mine: the conflict form carries the stored revision, so a deliberate save now wins.
        var current = Html.Revision(conflict);
        Assert.Equal(stored.Revision, current);
        using var keep = await eddie.PostAsync($"{url}?handler=Save", Html.Form(Html.Token(eddiePage), Article("Eddie's title", "Eddie's body", current)));
        Assert.Equal(HttpStatusCode.OK, keep.StatusCode);
        stored = (await factory.DocumentAsync("ankylosing-spondylitis")).OpenVersion!;
        Assert.Equal(("Eddie's title", "Eddie's body"), (stored.Title, stored.BodyMarkdown));
        Assert.Equal(id, stored.DocumentId);
    }

    [Fact]
    public async Task A_stale_save_of_the_same_text_is_no_conflict()
    {
        var erin = (await factory.LoginAsync(Editor)).Http;
        var eddie = (await factory.LoginAsync(Editor2)).Http;
        var (_, url) = await OpenDraftBySlugAsync(erin, "lower-back-pain-when-lying-down");
        var erinPage = await erin.GetStringAsync(url);
        var eddiePage = await eddie.GetStringAsync(url);
        var token = Html.Revision(erinPage);

        using var first = await erin.PostAsync($"{url}?handler=Save", Html.Form(Html.Token(erinPage), Article("Same words", "Same body", token)));
        using var second = await eddie.PostAsync($"{url}?handler=Save", Html.Form(Html.Token(eddiePage), Article("Same words", "Same body", token)));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.DoesNotContain("Someone else saved", await second.Content.ReadAsStringAsync());
        Assert.Equal(token + 2, (await factory.DocumentAsync("lower-back-pain-when-lying-down")).OpenVersion!.Revision);
    }

    [Fact]
    public async Task Use_their_field_merges_their_text_into_mine_without_saving()
    {
        var erin = (await factory.LoginAsync(Editor)).Http;
        var (_, url) = await OpenDraftBySlugAsync(erin, "pulled-muscle-or-strain");
        var page = await erin.GetStringAsync(url);
        var token = Html.Revision(page);
        using var first = await erin.PostAsync($"{url}?handler=Save", Html.Form(Html.Token(page), Article("Theirs", "Their body", token)));

        var request = new HttpRequestMessage(HttpMethod.Post, $"{url}?handler=TakeTheirs")
        {
            Content = Html.Form(Html.Token(page), [.. Article("Mine", "My body", token + 1), ("field", "Title")]),
        };
        request.Headers.Add("HX-Request", "true");
        using var merged = await erin.SendAsync(request);
        var html = await merged.Content.ReadAsStringAsync();

        Assert.Contains("value=\"Theirs\"", html); // title taken from theirs
        Assert.Contains("My body</textarea>", html); // body still mine
        Assert.DoesNotContain("<html", html); // the form fragment only
        Assert.Equal("Their body", (await factory.DocumentAsync("pulled-muscle-or-strain")).OpenVersion!.BodyMarkdown);
    }

    [Fact]
    public async Task Autosave_answers_out_of_band_with_the_new_revision_and_status()
    {
        var erin = (await factory.LoginAsync(Editor)).Http;
        var (_, url) = await OpenDraftBySlugAsync(erin, "disc-degeneration");
        var page = await erin.GetStringAsync(url);
        var token = Html.Revision(page);

        var request = new HttpRequestMessage(HttpMethod.Post, $"{url}?handler=Autosave") { Content = Html.Form(Html.Token(page), Article("Autosaved", "Body", token)) };
        request.Headers.Add("HX-Request", "true");
        using var response = await erin.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("hx-swap-oob=\"true\"", html);
        Assert.Equal(token + 1, Html.Revision(html));
        Assert.Contains("data-state=\"saved\"", html);
        Assert.DoesNotContain("<textarea", html); // never replaces the fields being typed in
        Assert.Equal("Autosaved", (await factory.DocumentAsync("disc-degeneration")).OpenVersion!.Title);
    }

    [Fact]
    public async Task Autosave_of_invalid_text_stores_nothing_and_answers_with_the_field_message()
    {
        var erin = (await factory.LoginAsync(Editor)).Http;
        var (_, url) = await OpenDraftBySlugAsync(erin, "disc-degeneration");
        var page = await erin.GetStringAsync(url);
        var before = (await factory.DocumentAsync("disc-degeneration")).OpenVersion!;

        var request = new HttpRequestMessage(HttpMethod.Post, $"{url}?handler=Autosave") { Content = Html.Form(Html.Token(page), Article(" ", "Body", before.Revision)) };
        request.Headers.Add("HX-Request", "true");
        using var response = await erin.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("<span id=\"err-Input_Title\" class=\"field-error\" data-valmsg-for=\"Input.Title\" hx-swap-oob=\"true\">Enter a title.</span>", html);
        Assert.Contains("<span id=\"err-Input_Body\" class=\"field-error\" data-valmsg-for=\"Input.Body\" hx-swap-oob=\"true\"></span>", html); // clears an old message
        Assert.Contains("data-state=\"error\"", html);
        Assert.Contains("Not saved: Title: Enter a title.", html);
        Assert.Equal(before.Revision, Html.Revision(html));
        Assert.Equal(before.Revision, (await factory.DocumentAsync("disc-degeneration")).OpenVersion!.Revision);
    }

    [Fact]
    public async Task The_live_preview_renders_markdown_and_shows_script_as_text()
    {
        var erin = (await factory.LoginAsync(Editor)).Http;
        var (_, url) = await OpenDraftBySlugAsync(erin, "lower-back-pain-when-lying-down");
        var page = await erin.GetStringAsync(url);

        var request = new HttpRequestMessage(HttpMethod.Post, $"{url}?handler=Preview")
        {
            Content = Html.Form(Html.Token(page), Article("T", "## Heading\n\n<script>alert(1)</script>", 0, "NICE https://www.nice.org.uk/x")),
        };
        request.Headers.Add("HX-Request", "true");
        using var response = await erin.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("<h2 id=\"heading\">Heading</h2>", html.Replace("<h2>", "<h2 id=\"heading\">"));
        Assert.DoesNotContain("<script>alert", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.Contains("href=\"https://www.nice.org.uk/x\"", html);
    }

    [Fact]
    public async Task The_live_preview_shows_the_reading_age_marks_the_hardest_sentence_and_gives_plain_english_advice()
    {
        var erin = (await factory.LoginAsync(Editor)).Http;
        var (_, url) = await OpenDraftBySlugAsync(erin, "lower-back-pain-when-lying-down");
        var page = await erin.GetStringAsync(url);

        async Task<AngleSharp.Html.Dom.IHtmlDocument> PreviewAsync(string body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"{url}?handler=Preview") { Content = Html.Form(Html.Token(page), Article("T", body, 0, "")) };
            request.Headers.Add("HX-Request", "true");
            using var response = await erin.SendAsync(request);
            return new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        }

        int ReadingAge(AngleSharp.Html.Dom.IHtmlDocument fragment) => int.Parse(fragment.QuerySelector("[data-reading-age]")!.GetAttribute("data-reading-age")!);

        const string Plain = "## Rest\n\nRest a bit. Then walk. [Click here](https://www.nhs.uk) for more.";
        const string Hard = " Nonsteroidal anti-inflammatory medication administration necessitates comprehensive evaluation of gastrointestinal and cardiovascular contraindications.";
        var plain = await PreviewAsync(Plain);
        var hard = await PreviewAsync(Plain + Hard);

        Assert.True(ReadingAge(hard) > ReadingAge(plain));
        Assert.Contains("Nonsteroidal anti-inflammatory medication", hard.QuerySelector(".rendered mark.hard-sentence")!.TextContent);
        Assert.Contains("against a target of 12", hard.Body!.TextContent);
        Assert.Contains("SMOG grade + 5", hard.Body!.TextContent);
        Assert.NotNull(plain.QuerySelector(".plain-english [data-rule=link-text]"));
    }

    [Fact]
    public async Task A_bad_urgency_is_refused_next_to_its_field()
    {
        using var editor = await factory.LoginAsync(Editor);
        var id = await editor.CreateDocumentAsync("Urgency list", "urgency-list", kind: "RedFlagList");
        var edit = await editor.GetPageAsync($"/Content/Edit/{id}");
        var added = await HtmlPage.ReadAsync(await editor.PostFormAsync(Steps.FlagsUrl(id, "AddFlag"), edit.Form("#draft-form")));
        var form = added.Form("#draft-form")
            .Set("Input.Flags[0].Symptom", "Numb saddle area")
            .Set("Input.Flags[0].Advice", "Go to the emergency department.");

        foreach (var bad in new[] { "soon", "1", "urgent,routine" })
        {
            var page = await HtmlPage.ReadAsync(await editor.SaveAsync(id, form.Copy().Set("Input.Flags[0].Urgency", bad)));
            Assert.True(page.FieldError("Input.Flags[0].Urgency") == "Choose emergency, urgent or routine.", $"urgency {bad}: {page.FieldError("Input.Flags[0].Urgency")}");
        }

        Assert.Empty((await factory.DocumentAsync(id)).Latest.Flags);
        var saved = await HtmlPage.ReadAsync(await editor.SaveAsync(id, form.Set("Input.Flags[0].Urgency", "emergency")));
        Assert.Equal("", saved.Summary);
        Assert.Equal(Urgency.Emergency, Assert.Single((await factory.DocumentAsync(id)).Latest.Flags).Urgency);
    }

    [Fact]
    public async Task Submitting_without_a_change_note_is_refused_next_to_it_and_htmx_submit_redirects()
    {
        using var editor = await factory.LoginAsync(Editor);
        var id = await editor.CreateDocumentAsync("Needs a note", "needs-a-note");
        var form = (await editor.GetPageAsync($"/Content/Edit/{id}")).Form("#draft-form").Set("Input.Body", "Typed before submitting.");

        var refused = await editor.PostFormAsync(Steps.EditUrl(id, "Submit"), form.Copy().Set("Input.ChangeNote", " "));
        var page = await HtmlPage.ReadAsync(refused);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Equal("Say what changed, for the reviewer.", page.FieldError("Input.ChangeNote"));
        Assert.Equal("Typed before submitting.", page.FieldValue("Input.Body"));
        var draft = (await factory.DocumentAsync(id)).Latest;
        Assert.Equal((VersionStatus.Draft, "", 1), (draft.Status, draft.BodyMarkdown, draft.Revision));

        var htmx = await editor.PostFormAsync(Steps.EditUrl(id, "Submit"), form.Set("Input.ChangeNote", "First version."), htmx: true);
        Assert.Equal(HttpStatusCode.OK, htmx.StatusCode);
        Assert.Equal($"/Content/Details/{id}", htmx.Headers.GetValues("HX-Redirect").Single());
        Assert.Contains("Version 1 was submitted for review.", (await editor.GetPageAsync($"/Content/Details/{id}")).Text);
        var submitted = (await factory.DocumentAsync(id)).Latest;
        Assert.Equal((VersionStatus.InReview, "Typed before submitting.", "First version."), (submitted.Status, submitted.BodyMarkdown, submitted.ChangeNote));
        Assert.NotNull(submitted.ContentHash);
    }

    [Fact]
    public async Task Editor_fragments_are_authorized_on_the_server()
    {
        var rhea = (await factory.LoginAsync(Reviewer)).Http;
        var document = await factory.DocumentAsync("spinal-tumor");
        var home = await rhea.GetStringAsync("/");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/Content/Edit/{document.Id}?handler=Autosave") { Content = Html.Form(Html.Token(home), ("Input.Title", "x")) };
        request.Headers.Add("HX-Request", "true");
        using var forbidden = await rhea.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        using var anonymous = factory.CreateClient(new() { AllowAutoRedirect = false });
        var expired = new HttpRequestMessage(HttpMethod.Post, $"/Content/Edit/{document.Id}?handler=Autosave");
        expired.Headers.Add("HX-Request", "true");
        expired.Headers.Add("HX-Current-URL", $"http://localhost/Content/Edit/{document.Id}");
        using var response = await anonymous.SendAsync(expired);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // The login leads back to the editor page (where the browser's kept copy is offered), not to the fragment handler.
        Assert.Equal($"/Account/Login?ReturnUrl={Uri.EscapeDataString($"/Content/Edit/{document.Id}")}", response.Headers.GetValues("HX-Redirect").Single());

        // Nothing behind the redirect: a status page would mint a new antiforgery cookie, and with two requests out
        // when the session ended, the later one would no longer match the login form the first redirect loaded.
        Assert.False(response.Headers.Contains("Set-Cookie"), string.Join("; ", response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : []));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_editor_without_an_open_draft_or_for_an_unknown_document_says_so()
    {
        var document = await factory.DocumentAsync("ankylosing-spondylitis");
        using var editor = await factory.LoginAsync(Editor);

        var noDraft = await editor.Http.GetAsync($"/Content/Edit/{document.Id}");
        Assert.Equal(HttpStatusCode.Redirect, noDraft.StatusCode);
        Assert.Equal($"/Content/Details/{document.Id}", noDraft.Headers.Location?.OriginalString);
        Assert.Contains("There is no open draft. Use Edit to start one from the latest version.", (await editor.GetPageAsync($"/Content/Details/{document.Id}")).Text);

        var unknown = Guid.NewGuid();
        await editor.GetPageAsync($"/Content/Edit/{unknown}", HttpStatusCode.NotFound);
        await editor.GetPageAsync($"/Content/Details/{unknown}", HttpStatusCode.NotFound);
        await editor.GetPageAsync($"/Content/Details/{document.Id}?version=99", HttpStatusCode.NotFound);
        var token = (await editor.GetPageAsync("/Content")).Token;
        Assert.Equal(HttpStatusCode.NotFound, (await editor.PostFormAsync(Steps.DetailsUrl(unknown, "Open"), [], token)).StatusCode);
        Assert.Single((await factory.DocumentAsync(document.Id)).Versions);
    }

    private async Task<(Guid Id, string Url)> OpenDraftBySlugAsync(HttpClient client, string slug)
    {
        var document = await factory.DocumentAsync(slug);
        var details = await client.GetStringAsync($"/Content/Details/{document.Id}");
        using var open = await client.PostAsync($"/Content/Details/{document.Id}?handler=Open", Html.Form(Html.Token(details)));
        Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
        return (document.Id, $"/Content/Edit/{document.Id}");
    }

    private static (string, string)[] Article(string title, string body, int revision, string references = "") =>
    [
        ("Input.Title", title), ("Input.Summary", "Summary"), ("Input.Body", body), ("Input.References", references),
        ("Input.ChangeNote", ""), ("Input.Revision", revision.ToString()),
    ];
}
