using System.Net;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests;

/// <summary>The draft editor and New document: bad input is refused next to its field, and nothing half-saves.</summary>
public sealed class EditingTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
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
    public async Task Creating_with_a_slug_that_exists_is_refused_next_to_the_slug()
    {
        using var editor = await factory.LoginAsync(Editor);
        var count = (await factory.WithDbAsync(db => Task.FromResult(db.Documents.Count())));

        var create = await editor.GetPageAsync("/Content/Create");
        var form = create.Form().Set("Input.Kind", "Article").Set("Input.Title", "Another article").Set("Input.Slug", "lower-back-pain-when-lying-down");
        var response = await editor.PostFormAsync("/Content/Create", form);
        var page = await HtmlPage.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The slug \"lower-back-pain-when-lying-down\" is already used by another document.", page.FieldError("Input.Slug"));
        Assert.Equal("Another article", page.FieldValue("Input.Title"));

        // With the slug left empty, the suggestion from the title skips slugs in use ("spinal-tumor" → "spinal-tumor-2").
        var suggested = await editor.PostFormAsync("/Content/Create", create.Form().Set("Input.Title", "Spinal tumor").Set("Input.Slug", ""));
        Assert.Equal(HttpStatusCode.Redirect, suggested.StatusCode);
        Assert.True(await factory.WithDbAsync(db => db.Documents.AnyAsync(d => d.Slug == "spinal-tumor-2")));

        var badSlug = await editor.PostFormAsync("/Content/Create", create.Form().Set("Input.Title", "Bad slug").Set("Input.Slug", "Bad Slug!"));
        Assert.Equal(HttpStatusCode.OK, badSlug.StatusCode);
        Assert.Contains("Use lower-case letters", (await HtmlPage.ReadAsync(badSlug)).FieldError("Input.Slug"));

        // Only the suggested-slug document was created; the refused ones saved nothing.
        Assert.Equal(count + 1, await factory.WithDbAsync(db => Task.FromResult(db.Documents.Count())));
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
    public async Task Red_flags_can_be_added_and_removed_and_an_empty_row_is_refused_per_field()
    {
        var list = await factory.DocumentAsync("lower-back-pain-when-to-see-a-doctor");
        var flags = Assert.Single(list.Versions).Flags.Count;
        using var editor = await factory.LoginAsync(Editor);
        var edit = await editor.OpenDraftAsync(list.Id);
        Assert.Equal(flags, edit.Document.QuerySelectorAll("li.flag-row").Length);

        var added = await HtmlPage.ReadAsync(await editor.PostFormAsync(Steps.FlagsUrl(list.Id, "AddFlag"), edit.Form("#draft-form"), htmx: true));
        Assert.Equal(flags + 1, added.Document.QuerySelectorAll("li.flag-row").Length);
        Assert.Equal("urgent", added.FieldValue($"Input.Flags[{flags}].Urgency"));

        // Saving the empty new row: refused next to its fields, nothing stored.
        var refused = await HtmlPage.ReadAsync(await editor.SaveAsync(list.Id, added.Form("#draft-form")));
        Assert.Equal("Enter the symptom.", refused.FieldError($"Input.Flags[{flags}].Symptom"));
        Assert.Equal("Enter the advice for this symptom.", refused.FieldError($"Input.Flags[{flags}].Advice"));

        // Remove the second row with its own Remove button (plain post: the button's name and value), then save.
        var removeButton = refused.Document.QuerySelectorAll("li.flag-row")[1].QuerySelector("button[formaction*=\"handler=RemoveFlag\"]")!;
        var removeForm = refused.Form("#draft-form").Set(removeButton.GetAttribute("name")!, removeButton.GetAttribute("value")!);
        Assert.Equal("1", removeButton.GetAttribute("value"));
        var removed = await HtmlPage.ReadAsync(await editor.PostFormAsync(Steps.FlagsUrl(list.Id, "RemoveFlag"), removeForm));
        Assert.Equal(flags, removed.Document.QuerySelectorAll("li.flag-row").Length);
        var form = removed.Form("#draft-form")
            .Set($"Input.Flags[{flags - 1}].Symptom", "Fever with back pain")
            .Set($"Input.Flags[{flags - 1}].Advice", "See a doctor the same day.")
            .Set($"Input.Flags[{flags - 1}].Urgency", "urgent");
        var saved = await HtmlPage.ReadAsync(await editor.SaveAsync(list.Id, form));
        Assert.Equal("", saved.Summary);

        var draft = (await factory.DocumentAsync(list.Id)).Latest;
        Assert.Equal((2, VersionStatus.Draft), (draft.Number, draft.Status));
        Assert.Equal(flags, draft.Flags.Count);
        var original = list.Versions[0].Flags.OrderBy(f => f.Position).ToList();
        Assert.Equal(
            original.Where((_, i) => i != 1).Select(f => f.Symptom).Append("Fever with back pain"),
            draft.Flags.OrderBy(f => f.Position).Select(f => f.Symptom));
        Assert.Equal(Urgency.Urgent, draft.Flags.Single(f => f.Symptom == "Fever with back pain").Urgency);
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
}
