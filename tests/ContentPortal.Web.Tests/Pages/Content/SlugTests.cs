using System.Net;
using ContentPortal.Web.Tests.Infrastructure;

namespace ContentPortal.Web.Tests.Pages.Content;

/// <summary>/Content/Slug/{slug} (Pages/Content/Slug): where links between articles lead inside the portal.</summary>
public sealed class SlugTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Links_between_articles_lead_to_the_document_page_in_the_portal_and_stay_slugs_in_the_feed()
    {
        var overview = await factory.DocumentAsync("lower-back-pain-when-lying-down");
        var target = await factory.DocumentAsync("pulled-muscle-or-strain");
        using var reviewer = await factory.LoginAsync(PortalFactory.Reviewer);

        var page = await reviewer.GetPageAsync($"/Content/Details/{overview.Id}");
        var link = page.Document.QuerySelectorAll("article.rendered a").Single(a => a.TextContent == "Pulled muscle or strain");
        Assert.Equal("/Content/Slug/pulled-muscle-or-strain", link.GetAttribute("href"));
        var follow = await reviewer.Http.GetAsync(link.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.Redirect, follow.StatusCode);
        Assert.Equal($"/Content/Details/{target.Id}", follow.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await reviewer.Http.GetAsync("/Content/Slug/no-such-document")).StatusCode);

        var feed = await factory.CreateClient().GetStringAsync($"/api/v1/articles/{overview.Slug}");
        Assert.Contains("href=\\\"pulled-muscle-or-strain\\\"", feed);
    }
}
