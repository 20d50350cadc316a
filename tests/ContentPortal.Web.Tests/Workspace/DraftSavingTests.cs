using System.Net;
using ContentPortal.Domain;

namespace ContentPortal.Web.Tests.Workspace;

/// <summary>Saving drafts over HTTP: stale copies get the conflict screen, limits are refused at the field, nothing half-saved.</summary>
public sealed class DraftSavingTests(WorkspaceFactory app) : IClassFixture<WorkspaceFactory>
{
    private async Task<(Guid Id, string Url)> OpenDraftAsync(HttpClient client, string slug)
    {
        var document = await app.DocumentAsync(slug);
        var details = await client.GetStringAsync($"/Content/Details/{document.Id}");
        using var open = await client.PostAsync($"/Content/Details/{document.Id}?handler=Open", WorkspaceFactory.Form(WorkspaceFactory.Token(details)));
        Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
        return (document.Id, $"/Content/Edit/{document.Id}");
    }

    private static (string, string)[] Article(string title, string body, int revision, string references = "") =>
    [
        ("Input.Title", title), ("Input.Summary", "Summary"), ("Input.Body", body), ("Input.References", references),
        ("Input.ChangeNote", ""), ("Input.Revision", revision.ToString()),
    ];

    [Fact]
    public async Task Two_clients_with_one_token_the_second_gets_409_with_both_texts_and_can_keep_mine()
    {
        var erin = await app.LogInAsync(WorkspaceFactory.Editor);
        var eddie = await app.LogInAsync(WorkspaceFactory.Editor2);
        var (id, url) = await OpenDraftAsync(erin, "ankylosing-spondylitis");
        var erinPage = await erin.GetStringAsync(url);
        var eddiePage = await eddie.GetStringAsync(url);
        var token = WorkspaceFactory.Revision(erinPage);
        Assert.Equal(token, WorkspaceFactory.Revision(eddiePage));

        using var first = await erin.PostAsync($"{url}?handler=Save", WorkspaceFactory.Form(WorkspaceFactory.Token(erinPage), Article("Erin's title", "Erin's body", token)));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var second = await eddie.PostAsync($"{url}?handler=Save", WorkspaceFactory.Form(WorkspaceFactory.Token(eddiePage), Article("Eddie's title", "Eddie's body", token)));
        var conflict = await second.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("Someone else saved this draft while you were editing", conflict);
        Assert.Contains("Erin Editor", conflict);
        Assert.Contains("Erin&#x27;s", conflict); // their text, shown beside...
        Assert.Contains("Eddie&#x27;s body</textarea>", conflict); // ...mine, still in the form
        var stored = (await app.DocumentAsync("ankylosing-spondylitis")).OpenVersion!;
        Assert.Equal(("Erin's title", "Erin's body"), (stored.Title, stored.BodyMarkdown));

        // Keep mine: the conflict form carries the stored revision, so a deliberate save now wins.
        var current = WorkspaceFactory.Revision(conflict);
        Assert.Equal(stored.Revision, current);
        using var keep = await eddie.PostAsync($"{url}?handler=Save", WorkspaceFactory.Form(WorkspaceFactory.Token(eddiePage), Article("Eddie's title", "Eddie's body", current)));
        Assert.Equal(HttpStatusCode.OK, keep.StatusCode);
        stored = (await app.DocumentAsync("ankylosing-spondylitis")).OpenVersion!;
        Assert.Equal(("Eddie's title", "Eddie's body"), (stored.Title, stored.BodyMarkdown));
        Assert.Equal(id, stored.DocumentId);
    }

    [Fact]
    public async Task A_stale_save_of_the_same_text_is_no_conflict()
    {
        var erin = await app.LogInAsync(WorkspaceFactory.Editor);
        var eddie = await app.LogInAsync(WorkspaceFactory.Editor2);
        var (_, url) = await OpenDraftAsync(erin, "lower-back-pain-when-lying-down");
        var erinPage = await erin.GetStringAsync(url);
        var eddiePage = await eddie.GetStringAsync(url);
        var token = WorkspaceFactory.Revision(erinPage);

        using var first = await erin.PostAsync($"{url}?handler=Save", WorkspaceFactory.Form(WorkspaceFactory.Token(erinPage), Article("Same words", "Same body", token)));
        using var second = await eddie.PostAsync($"{url}?handler=Save", WorkspaceFactory.Form(WorkspaceFactory.Token(eddiePage), Article("Same words", "Same body", token)));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.DoesNotContain("Someone else saved", await second.Content.ReadAsStringAsync());
        Assert.Equal(token + 2, (await app.DocumentAsync("lower-back-pain-when-lying-down")).OpenVersion!.Revision);
    }

    [Fact]
    public async Task Use_their_field_merges_their_text_into_mine_without_saving()
    {
        var erin = await app.LogInAsync(WorkspaceFactory.Editor);
        var (_, url) = await OpenDraftAsync(erin, "pulled-muscle-or-strain");
        var page = await erin.GetStringAsync(url);
        var token = WorkspaceFactory.Revision(page);
        using var first = await erin.PostAsync($"{url}?handler=Save", WorkspaceFactory.Form(WorkspaceFactory.Token(page), Article("Theirs", "Their body", token)));

        var request = new HttpRequestMessage(HttpMethod.Post, $"{url}?handler=TakeTheirs")
        {
            Content = WorkspaceFactory.Form(WorkspaceFactory.Token(page), [.. Article("Mine", "My body", token + 1), ("field", "Title")]),
        };
        request.Headers.Add("HX-Request", "true");
        using var merged = await erin.SendAsync(request);
        var html = await merged.Content.ReadAsStringAsync();

        Assert.Contains("value=\"Theirs\"", html); // title taken from theirs
        Assert.Contains("My body</textarea>", html); // body still mine
        Assert.DoesNotContain("<html", html); // the form fragment only
        Assert.Equal("Their body", (await app.DocumentAsync("pulled-muscle-or-strain")).OpenVersion!.BodyMarkdown);
    }

    [Fact]
    public async Task Autosave_answers_out_of_band_with_the_new_revision_and_status()
    {
        var erin = await app.LogInAsync(WorkspaceFactory.Editor);
        var (_, url) = await OpenDraftAsync(erin, "disc-degeneration");
        var page = await erin.GetStringAsync(url);
        var token = WorkspaceFactory.Revision(page);

        var request = new HttpRequestMessage(HttpMethod.Post, $"{url}?handler=Autosave") { Content = WorkspaceFactory.Form(WorkspaceFactory.Token(page), Article("Autosaved", "Body", token)) };
        request.Headers.Add("HX-Request", "true");
        using var response = await erin.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("hx-swap-oob=\"true\"", html);
        Assert.Equal(token + 1, WorkspaceFactory.Revision(html));
        Assert.Contains("data-state=\"saved\"", html);
        Assert.DoesNotContain("<textarea", html); // never replaces the fields being typed in
        Assert.Equal("Autosaved", (await app.DocumentAsync("disc-degeneration")).OpenVersion!.Title);
    }

    [Fact]
    public async Task Autosave_of_invalid_text_stores_nothing_and_answers_with_the_field_message()
    {
        var erin = await app.LogInAsync(WorkspaceFactory.Editor);
        var (_, url) = await OpenDraftAsync(erin, "disc-degeneration");
        var page = await erin.GetStringAsync(url);
        var before = (await app.DocumentAsync("disc-degeneration")).OpenVersion!;

        var request = new HttpRequestMessage(HttpMethod.Post, $"{url}?handler=Autosave") { Content = WorkspaceFactory.Form(WorkspaceFactory.Token(page), Article(" ", "Body", before.Revision)) };
        request.Headers.Add("HX-Request", "true");
        using var response = await erin.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("<span id=\"err-Input_Title\" class=\"field-error\" data-valmsg-for=\"Input.Title\" hx-swap-oob=\"true\">Enter a title.</span>", html);
        Assert.Contains("<span id=\"err-Input_Body\" class=\"field-error\" data-valmsg-for=\"Input.Body\" hx-swap-oob=\"true\"></span>", html); // clears an old message
        Assert.Contains("data-state=\"error\"", html);
        Assert.Contains("Not saved: Title: Enter a title.", html);
        Assert.Equal(before.Revision, WorkspaceFactory.Revision(html));
        Assert.Equal(before.Revision, (await app.DocumentAsync("disc-degeneration")).OpenVersion!.Revision);
    }

    [Fact]
    public async Task A_body_over_200_KB_is_refused_at_the_field_with_the_text_back_and_nothing_saved()
    {
        var erin = await app.LogInAsync(WorkspaceFactory.Editor);
        var (_, url) = await OpenDraftAsync(erin, "spinal-tumor");
        var page = await erin.GetStringAsync(url);
        var before = (await app.DocumentAsync("spinal-tumor")).OpenVersion!;
        var huge = "MARKER-7Q " + new string('x', VersionContent.MaxBodyBytes + 10);

        using var response = await erin.PostAsync($"{url}?handler=Save", WorkspaceFactory.Form(WorkspaceFactory.Token(page), Article("New title", huge, before.Revision)));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("the limit is 200 KB", html);
        Assert.Contains("data-valmsg-for=\"Input.Body\"", html);
        Assert.Contains("MARKER-7Q", html);
        var after = (await app.DocumentAsync("spinal-tumor")).OpenVersion!;
        Assert.Equal((before.Title, before.Revision), (after.Title, after.Revision));
    }

    [Theory]
    [InlineData("NICE guideline", "Line 1: add a link starting with https:// after the source.")]
    [InlineData("NICE javascript:alert(1)", "Line 1: add a link starting with https:// after the source.")]
    public async Task A_bad_reference_is_refused_at_the_field(string references, string message)
    {
        var erin = await app.LogInAsync(WorkspaceFactory.Editor);
        var (_, url) = await OpenDraftAsync(erin, "lower-back-pain-when-lying-down");
        var page = await erin.GetStringAsync(url);

        using var response = await erin.PostAsync($"{url}?handler=Save", WorkspaceFactory.Form(WorkspaceFactory.Token(page), Article("Title", "Body", WorkspaceFactory.Revision(page), references)));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains(System.Net.WebUtility.HtmlEncode(message).Replace("&#x2F;", "/"), html.Replace("&#x2F;", "/"));
        Assert.Contains("data-valmsg-for=\"Input.References\"", html);
    }

    [Fact]
    public async Task The_live_preview_renders_markdown_and_shows_script_as_text()
    {
        var erin = await app.LogInAsync(WorkspaceFactory.Editor);
        var (_, url) = await OpenDraftAsync(erin, "lower-back-pain-when-lying-down");
        var page = await erin.GetStringAsync(url);

        var request = new HttpRequestMessage(HttpMethod.Post, $"{url}?handler=Preview")
        {
            Content = WorkspaceFactory.Form(WorkspaceFactory.Token(page), Article("T", "## Heading\n\n<script>alert(1)</script>", 0, "NICE https://www.nice.org.uk/x")),
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
    public async Task Editor_fragments_are_authorized_on_the_server()
    {
        var rhea = await app.LogInAsync(WorkspaceFactory.Reviewer);
        var document = await app.DocumentAsync("spinal-tumor");
        var home = await rhea.GetStringAsync("/");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/Content/Edit/{document.Id}?handler=Autosave") { Content = WorkspaceFactory.Form(WorkspaceFactory.Token(home), ("Input.Title", "x")) };
        request.Headers.Add("HX-Request", "true");
        using var forbidden = await rhea.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        using var anonymous = app.CreateClient(new() { AllowAutoRedirect = false });
        var expired = new HttpRequestMessage(HttpMethod.Post, $"/Content/Edit/{document.Id}?handler=Autosave");
        expired.Headers.Add("HX-Request", "true");
        expired.Headers.Add("HX-Current-URL", $"http://localhost/Content/Edit/{document.Id}");
        using var response = await anonymous.SendAsync(expired);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // The login leads back to the editor page (where the browser's kept copy is offered), not to the fragment handler.
        Assert.Equal($"/Account/Login?ReturnUrl={Uri.EscapeDataString($"/Content/Edit/{document.Id}")}", response.Headers.GetValues("HX-Redirect").Single());
    }
}
