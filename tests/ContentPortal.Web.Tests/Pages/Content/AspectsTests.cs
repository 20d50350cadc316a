using System.Net;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests.Pages.Content;

/// <summary>
/// The draft editor's Health aspects field (Pages/Content/_Aspects): a row per section of the body with the heading's
/// suggestion shown, not saved, until the editor chooses; choices follow reordered headings and a renamed heading's is
/// dropped; the htmx Aspects handler re-renders the rows for the typed body without saving.
/// </summary>
public sealed class AspectsTests : IDisposable
{
    private const string Body = "Most back pain gets better.\n\n## What causes lower back pain\n\nStrain.\n\n## How to ease it\n\nKeep moving.\n\n## Gardening\n\nBend your knees.";

    private readonly PortalFactory factory = new();

    public void Dispose() => factory.Dispose();

    private static string State(HtmlPage page, int row) => page.Document.QuerySelector($"#aspect-{row}-state")!.TextContent.Trim();

    private static string Selected(HtmlPage page, int row) => page.FieldValue($"Input.Aspects[{row}].Aspect")!;

    [Fact]
    public async Task Suggestions_are_shown_but_not_saved_until_the_editor_chooses()
    {
        using var editor = await factory.LoginAsync(Editor);
        var id = await editor.CreateDocumentAsync("Back pain sections", "back-pain-sections");
        var form = (await editor.GetPageAsync($"/Content/Edit/{id}")).Form("#draft-form").Set("Input.Body", Body);

        var saved = await HtmlPage.ReadAsync(await editor.SaveAsync(id, form));

        Assert.Equal(["", "What causes lower back pain", "How to ease it", "Gardening"],
            Enumerable.Range(0, 4).Select(i => saved.FieldValue($"Input.Aspects[{i}].Heading")).ToList());
        Assert.Equal("Causes (suggested)", saved.Document.QuerySelector("#aspect-1 option:checked")!.TextContent);
        Assert.Equal(("Suggested, not chosen", "Not chosen"), (State(saved, 1), State(saved, 3)));
        Assert.Equal("", Selected(saved, 1));
        Assert.Empty((await factory.DocumentAsync(id)).Latest.Aspects);

        var chosen = saved.Form("#draft-form").Set("Input.Aspects[1].Aspect", "RisksOrComplications").Set("Input.Aspects[2].Aspect", "SelfCare");
        var page = await HtmlPage.ReadAsync(await editor.SaveAsync(id, chosen));

        Assert.Equal(("Chosen", "RisksOrComplications"), (State(page, 1), Selected(page, 1)));
        Assert.Equal(
            [new SectionAspect("What causes lower back pain", HealthAspect.RisksOrComplications), new("How to ease it", HealthAspect.SelfCare)],
            (await factory.DocumentAsync(id)).Latest.Aspects);
    }

    [Fact]
    public async Task Use_the_suggestions_chooses_every_suggestion_and_keeps_the_choices_made()
    {
        using var editor = await factory.LoginAsync(Editor);
        var id = await editor.CreateDocumentAsync("Back pain suggestions", "back-pain-suggestions");
        var first = await HtmlPage.ReadAsync(await editor.SaveAsync(id, (await editor.GetPageAsync($"/Content/Edit/{id}")).Form("#draft-form").Set("Input.Body", Body)));

        var form = first.Form("#draft-form").Set("Input.Aspects[2].Aspect", "SelfCare").Set("Input.AcceptSuggestions", "true");
        var page = await HtmlPage.ReadAsync(await editor.SaveAsync(id, form));

        Assert.Equal(
            [new SectionAspect("", HealthAspect.Overview), new("What causes lower back pain", HealthAspect.Causes), new("How to ease it", HealthAspect.SelfCare)],
            (await factory.DocumentAsync(id)).Latest.Aspects);
        Assert.Equal(("Chosen", "Causes", "Not chosen"), (State(page, 1), Selected(page, 1), State(page, 3)));
        Assert.Null(page.Document.QuerySelector("#accept-suggestions"));
    }

    [Fact]
    public async Task A_reordered_heading_keeps_its_choice_and_a_renamed_one_loses_it_to_a_suggestion()
    {
        using var editor = await factory.LoginAsync(Editor);
        var id = await editor.CreateDocumentAsync("Back pain reordered", "back-pain-reordered");
        var first = await HtmlPage.ReadAsync(await editor.SaveAsync(id, (await editor.GetPageAsync($"/Content/Edit/{id}")).Form("#draft-form").Set("Input.Body", Body)));
        var chosen = await HtmlPage.ReadAsync(await editor.SaveAsync(id, first.Form("#draft-form")
            .Set("Input.Aspects[1].Aspect", "Causes").Set("Input.Aspects[2].Aspect", "Treatments")));

        var moved = "## How to ease it\n\nKeep moving.\n\n## Why it happens\n\nStrain.";
        var page = await HtmlPage.ReadAsync(await editor.SaveAsync(id, chosen.Form("#draft-form").Set("Input.Body", moved)));

        Assert.Equal([new SectionAspect("How to ease it", HealthAspect.Treatments)], (await factory.DocumentAsync(id)).Latest.Aspects);
        Assert.Equal(("How to ease it", "Treatments", "Chosen"), (page.FieldValue("Input.Aspects[0].Heading"), Selected(page, 0), State(page, 0)));
        Assert.Equal(("Why it happens", "", "Suggested, not chosen"), (page.FieldValue("Input.Aspects[1].Heading"), Selected(page, 1), State(page, 1)));
    }

    [Fact]
    public async Task The_htmx_Aspects_handler_answers_the_rows_for_the_typed_body_and_saves_nothing()
    {
        using var editor = await factory.LoginAsync(Editor);
        var id = await editor.CreateDocumentAsync("Back pain typed", "back-pain-typed");
        var form = (await editor.GetPageAsync($"/Content/Edit/{id}")).Form("#draft-form").Set("Input.Body", "## Symptoms\n\nPain.");
        var revision = (await factory.DocumentAsync(id)).Latest.Revision;

        var response = await editor.PostFormAsync(Steps.EditUrl(id, "Aspects"), form, htmx: true);
        var fragment = await HtmlPage.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("<fieldset id=\"aspects\"", fragment.Html.TrimStart(), StringComparison.Ordinal);
        Assert.Equal(("Symptoms", "Suggested, not chosen"), (fragment.FieldValue("Input.Aspects[0].Heading"), State(fragment, 0)));
        Assert.Equal(revision, (await factory.DocumentAsync(id)).Latest.Revision);
    }

    [Fact]
    public async Task The_Aspects_fragment_is_authorized_on_the_server()
    {
        using var editor = await factory.LoginAsync(Editor);
        var id = await editor.CreateDocumentAsync("Back pain private", "back-pain-private");
        var reviewer = (await factory.LoginAsync(Reviewer)).Http;
        var home = await reviewer.GetStringAsync("/");
        var request = new HttpRequestMessage(HttpMethod.Post, Steps.EditUrl(id, "Aspects")) { Content = Html.Form(Html.Token(home), ("Input.Body", "## Symptoms")) };
        request.Headers.Add("HX-Request", "true");

        using var forbidden = await reviewer.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }
}
