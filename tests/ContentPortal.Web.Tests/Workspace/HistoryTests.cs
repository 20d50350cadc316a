using System.Net;
using ContentPortal.Domain;

namespace ContentPortal.Web.Tests.Workspace;

/// <summary>History, compare and Restore as new draft over HTTP.</summary>
public sealed class HistoryTests(WorkspaceFactory app) : IClassFixture<WorkspaceFactory>
{
    [Fact]
    public async Task Restore_as_new_draft_brings_back_an_earlier_versions_text_and_leaves_it_unchanged()
    {
        var document = await app.DocumentAsync("spinal-tumor");
        var v1Title = document.Version(1).Title;
        // Version 2, approved, with another title (domain calls, as the review pages would make them).
        await app.WithDbAsync(async db =>
        {
            var tracked = db.Documents.Single(d => d.Id == document.Id);
            var editor = new Actor("restore-editor", "Rene Restorer", new HashSet<string> { Roles.Editor });
            var reviewer = new Actor("restore-reviewer", "Rita Reviewer", new HashSet<string> { Roles.Reviewer });
            var draft = tracked.OpenDraft(editor, DateTime.UtcNow, out _);
            draft.Edit(draft.CurrentContent() with { Title = "A worse title" }, "Retitled", draft.Revision, editor, DateTime.UtcNow);
            draft.Submit(null, editor, DateTime.UtcNow);
            tracked.Sign(draft, draft.Revision, reviewer, DateTime.UtcNow, ReviewKind.Full, SignOffPolicy.Default, null);
            return await db.SaveChangesAsync();
        });
        var client = await app.LogInAsync(WorkspaceFactory.Editor);
        var details = await client.GetStringAsync($"/Content/Details/{document.Id}");
        Assert.Contains("Restore as new draft", details);

        using var restore = await client.PostAsync($"/Content/Details/{document.Id}?handler=Restore", WorkspaceFactory.Form(WorkspaceFactory.Token(details), ("number", "1")));

        Assert.Equal(HttpStatusCode.Redirect, restore.StatusCode);
        Assert.Equal($"/Content/Edit/{document.Id}", restore.Headers.Location!.OriginalString);
        var after = await app.DocumentAsync("spinal-tumor");
        var draft = after.OpenVersion!;
        Assert.Equal((3, VersionStatus.Draft, v1Title, "Restored from version 1"), (draft.Number, draft.Status, draft.Title, draft.ChangeNote));
        Assert.Equal("A worse title", after.Version(2).Title);
        Assert.Equal(document.Version(1).ComputeHash(), after.Version(1).ComputeHash());

        var compare = await client.GetStringAsync($"/Content/Compare/{document.Id}?from=2&to=3");
        var title = compare[compare.IndexOf("id=\"diff-Title\"", StringComparison.Ordinal)..compare.IndexOf("id=\"diff-Summary\"", StringComparison.Ordinal)];
        Assert.Contains("<del><span class=\"visually-hidden\">[removed: </span>A", title);
        Assert.Contains("worse", title);
        Assert.Contains("<ins><span class=\"visually-hidden\">[added: </span>Spinal", title);
    }

    [Fact]
    public async Task Restore_from_a_stale_history_page_is_refused_and_nothing_changes()
    {
        var document = await app.DocumentAsync("disc-degeneration");
        var client = await app.LogInAsync(WorkspaceFactory.Editor);
        var details = await client.GetStringAsync($"/Content/Details/{document.Id}");
        using var open = await client.PostAsync($"/Content/Details/{document.Id}?handler=Open", WorkspaceFactory.Form(WorkspaceFactory.Token(details)));
        var draft = (await app.DocumentAsync("disc-degeneration")).OpenVersion!;

        using var restore = await client.PostAsync($"/Content/Details/{document.Id}?handler=Restore",
            WorkspaceFactory.Form(WorkspaceFactory.Token(details), ("number", "1"), ("openDraftRevision", (draft.Revision - 1).ToString())));

        Assert.Equal(HttpStatusCode.Redirect, restore.StatusCode);
        Assert.Equal(draft.Revision, (await app.DocumentAsync("disc-degeneration")).OpenVersion!.Revision);
        var page = await client.GetStringAsync($"/Content/Details/{document.Id}");
        Assert.Contains("nothing was restored", page);
    }

    [Fact]
    public async Task Compare_shows_script_in_content_as_text()
    {
        var document = await app.DocumentAsync("pulled-muscle-or-strain");
        await app.WithDbAsync(async db =>
        {
            var tracked = db.Documents.Single(d => d.Id == document.Id);
            var editor = new Actor("xss-editor", "Xena Editor", new HashSet<string> { Roles.Editor });
            var draft = tracked.OpenDraft(editor, DateTime.UtcNow, out _);
            draft.Edit(draft.CurrentContent() with { BodyMarkdown = draft.BodyMarkdown + "\n<script>alert('x')</script>" }, null, draft.Revision, editor, DateTime.UtcNow);
            return await db.SaveChangesAsync();
        });
        var client = await app.LogInAsync(WorkspaceFactory.Reviewer);

        var inline = await client.GetStringAsync($"/Content/Compare/{document.Id}?from=1&to=2");
        var side = await client.GetStringAsync($"/Content/Compare/{document.Id}?from=1&to=2&view=side");
        var preview = await client.GetStringAsync($"/Content/Preview/{document.Id}");

        foreach (var html in new[] { inline, side, preview })
        {
            Assert.DoesNotContain("<script>alert", html);
            Assert.Contains("&lt;script&gt;", html);
        }

        Assert.Contains("What changes against the published version", preview);
    }

    [Fact]
    public async Task A_slug_changes_until_first_published_and_not_after()
    {
        var client = await app.LogInAsync(WorkspaceFactory.Editor);
        var create = await client.GetStringAsync("/Content/Create");
        using var created = await client.PostAsync("/Content/Create", WorkspaceFactory.Form(WorkspaceFactory.Token(create), ("Input.Kind", "Article"), ("Input.Title", "Sciatica at night"), ("Input.Slug", "")));
        var newDoc = await app.DocumentAsync("sciatica-at-night");
        var details = await client.GetStringAsync($"/Content/Details/{newDoc.Id}");

        using var renamed = await client.PostAsync($"/Content/Details/{newDoc.Id}?handler=ChangeSlug", WorkspaceFactory.Form(WorkspaceFactory.Token(details), ("slug", "sciatica-night-pain")));
        Assert.Equal("sciatica-night-pain", (await app.WithDbAsync(db => Task.FromResult(db.Documents.Single(d => d.Id == newDoc.Id).Slug))));

        var published = await app.DocumentAsync("lower-back-pain-when-lying-down");
        Assert.DoesNotContain("Change slug", await client.GetStringAsync($"/Content/Details/{published.Id}"));
        using var refused = await client.PostAsync($"/Content/Details/{published.Id}?handler=ChangeSlug", WorkspaceFactory.Form(WorkspaceFactory.Token(details), ("slug", "another-slug")));
        Assert.Equal("lower-back-pain-when-lying-down", (await app.DocumentAsync("lower-back-pain-when-lying-down")).Slug);
        Assert.Contains("can no longer change", await client.GetStringAsync($"/Content/Details/{published.Id}"));
    }

    [Fact]
    public async Task The_slug_suggestion_is_free()
    {
        var client = await app.LogInAsync(WorkspaceFactory.Editor);
        var create = await client.GetStringAsync("/Content/Create");
        var request = new HttpRequestMessage(HttpMethod.Post, "/Content/Create?handler=Slug")
        {
            Content = WorkspaceFactory.Form(WorkspaceFactory.Token(create), ("Input.Title", "Spinal tumor"), ("Input.Slug", ""), ("Input.SlugTouched", "false")),
        };
        request.Headers.Add("HX-Request", "true");

        using var response = await client.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("value=\"spinal-tumor-2\"", html); // spinal-tumor is taken by the seed
    }
}
