using System.Net;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests.Pages.Content;

/// <summary>
/// The document page (Pages/Content/Details) and its actions: Open (the Edit button), Restore as new
/// draft, Change slug. Each test gets a fresh app: several need the seeded documents as seeded.
/// </summary>
public sealed class DetailsTests : IDisposable
{
    private readonly PortalFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task A_reviewer_posting_the_edit_button_with_a_valid_token_gets_403_and_no_draft()
    {
        var document = await factory.DocumentAsync("lower-back-pain-when-to-see-a-doctor");
        using var reviewer = await factory.LoginAsync(Reviewer);
        var details = await reviewer.GetPageAsync($"/Content/Details/{document.Id}");
        Assert.Null(details.Document.QuerySelector("form[action*=\"handler=Open\"]"));
        Assert.NotNull(details.Token);

        var response = await reviewer.PostFormAsync(Steps.DetailsUrl(document.Id, "Open"), [], details.Token);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        var htmx = await reviewer.PostFormAsync(Steps.DetailsUrl(document.Id, "Open"), [], details.Token, htmx: true);
        Assert.Equal(HttpStatusCode.Forbidden, htmx.StatusCode);

        Assert.Single((await factory.DocumentAsync(document.Id)).Versions);
    }

    [Fact]
    public async Task Two_edit_buttons_at_once_open_one_draft()
    {
        var document = await factory.DocumentAsync("spinal-tumor");
        using var first = await factory.LoginAsync(Editor);
        using var second = await factory.LoginAsync(Editor2);
        var tokens = await Task.WhenAll(first.GetPageAsync($"/Content/Details/{document.Id}"), second.GetPageAsync($"/Content/Details/{document.Id}"));

        var responses = await Task.WhenAll(
            first.PostFormAsync(Steps.DetailsUrl(document.Id, "Open"), [], tokens[0].Token),
            second.PostFormAsync(Steps.DetailsUrl(document.Id, "Open"), [], tokens[1].Token));

        Assert.All(responses, r => Assert.Equal($"/Content/Edit/{document.Id}", r.Headers.Location?.OriginalString));
        var versions = (await factory.DocumentAsync(document.Id)).Versions;
        Assert.Equal(2, versions.Count);
        Assert.Equal(VersionStatus.Draft, versions.Single(v => v.Number == 2).Status);
    }

    [Fact]
    public async Task Restore_as_new_draft_brings_back_an_earlier_versions_text_and_leaves_it_unchanged()
    {
        var document = await factory.DocumentAsync("spinal-tumor");
        var v1Title = document.Version(1).Title;
        // Version 2, approved, with another title (domain calls, as the review pages would make them).
        await factory.WithDbAsync(async db =>
        {
            var tracked = db.Documents.Single(d => d.Id == document.Id);
            var editor = new Actor("restore-editor", "Rene Restorer", new HashSet<string> { Roles.Editor });
            var reviewer = new Actor("restore-reviewer", "Rita Reviewer", new HashSet<string> { Roles.Reviewer });
            var draft = tracked.OpenDraft(editor, DateTime.UtcNow, out _);
            tracked.Edit(draft, draft.CurrentContent() with { Title = "A worse title" }, "Retitled", draft.Revision, editor, DateTime.UtcNow);
            tracked.Submit(draft, null, editor, DateTime.UtcNow);
            tracked.Sign(draft, new SignRequest(reviewer, draft.Revision, ReviewKind.Full, DateTime.UtcNow) { PasswordVerified = true });
            return await db.SaveChangesAsync();
        });
        var client = (await factory.LoginAsync(Editor)).Http;
        var details = await client.GetStringAsync($"/Content/Details/{document.Id}");
        Assert.Contains("Restore as new draft", details);

        using var restore = await client.PostAsync($"/Content/Details/{document.Id}?handler=Restore", Html.Form(Html.Token(details), ("number", "1")));

        Assert.Equal(HttpStatusCode.Redirect, restore.StatusCode);
        Assert.Equal($"/Content/Edit/{document.Id}", restore.Headers.Location!.OriginalString);
        var after = await factory.DocumentAsync("spinal-tumor");
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
        var document = await factory.DocumentAsync("disc-degeneration");
        var client = (await factory.LoginAsync(Editor)).Http;
        var details = await client.GetStringAsync($"/Content/Details/{document.Id}");
        using var open = await client.PostAsync($"/Content/Details/{document.Id}?handler=Open", Html.Form(Html.Token(details)));
        var draft = (await factory.DocumentAsync("disc-degeneration")).OpenVersion!;

        using var restore = await client.PostAsync($"/Content/Details/{document.Id}?handler=Restore",
            Html.Form(Html.Token(details), ("number", "1"), ("openDraftRevision", (draft.Revision - 1).ToString())));

        Assert.Equal(HttpStatusCode.Redirect, restore.StatusCode);
        Assert.Equal(draft.Revision, (await factory.DocumentAsync("disc-degeneration")).OpenVersion!.Revision);
        var page = await client.GetStringAsync($"/Content/Details/{document.Id}");
        Assert.Contains("nothing was restored", page);
    }

    [Fact]
    public async Task A_slug_changes_until_first_published_and_not_after()
    {
        var client = (await factory.LoginAsync(Editor)).Http;
        var create = await client.GetStringAsync("/Content/Create");
        using var created = await client.PostAsync("/Content/Create", Html.Form(Html.Token(create), ("Input.Kind", "Article"), ("Input.Title", "Sciatica at night"), ("Input.Slug", "")));
        var newDoc = await factory.DocumentAsync("sciatica-at-night");
        var details = await client.GetStringAsync($"/Content/Details/{newDoc.Id}");

        using var renamed = await client.PostAsync($"/Content/Details/{newDoc.Id}?handler=ChangeSlug", Html.Form(Html.Token(details), ("slug", "sciatica-night-pain")));
        Assert.Equal("sciatica-night-pain", (await factory.WithDbAsync(db => Task.FromResult(db.Documents.Single(d => d.Id == newDoc.Id).Slug))));

        var published = await factory.DocumentAsync("lower-back-pain-when-lying-down");
        Assert.DoesNotContain("Change slug", await client.GetStringAsync($"/Content/Details/{published.Id}"));
        using var refused = await client.PostAsync($"/Content/Details/{published.Id}?handler=ChangeSlug", Html.Form(Html.Token(details), ("slug", "another-slug")));
        Assert.Equal("lower-back-pain-when-lying-down", (await factory.DocumentAsync("lower-back-pain-when-lying-down")).Slug);
        Assert.Contains("can no longer change", await client.GetStringAsync($"/Content/Details/{published.Id}"));
    }
}
