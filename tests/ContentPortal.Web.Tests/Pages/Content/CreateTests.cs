using System.Net;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests.Pages.Content;

/// <summary>
/// New document (Pages/Content/Create): slugs in use are refused and never suggested. Each test gets a
/// fresh app: one creates "spinal-tumor-2", the other expects it free.
/// </summary>
public sealed class CreateTests : IDisposable
{
    private readonly PortalFactory factory = new();

    public void Dispose() => factory.Dispose();

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
    public async Task The_slug_suggestion_is_free()
    {
        var client = (await factory.LoginAsync(Editor)).Http;
        var create = await client.GetStringAsync("/Content/Create");
        var request = new HttpRequestMessage(HttpMethod.Post, "/Content/Create?handler=Slug")
        {
            Content = Html.Form(Html.Token(create), ("Input.Title", "Spinal tumor"), ("Input.Slug", ""), ("Input.SlugTouched", "false")),
        };
        request.Headers.Add("HX-Request", "true");

        using var response = await client.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("value=\"spinal-tumor-2\"", html); // spinal-tumor is taken by the seed
    }
}
