using System.Net;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Pages.Publish;

/// <summary>Retire (Pages/Publish/Retire, POST only; the button is on a document's page): Publisher only, audited.</summary>
public sealed class RetireTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Retiring_and_scheduling_are_audited_and_pending_changes_link_to_their_diff()
    {
        var document = await factory.DocumentAsync("pulled-muscle-or-strain");
        using var editor = await factory.LoginAsync(PortalFactory.Editor2);
        await editor.SubmitAsync(document.Id, "Typo.", form => form.Set("Input.Summary", document.Latest.Summary + " Rest helps."));
        using var reviewer = await factory.LoginAsync(PortalFactory.Reviewer);
        await reviewer.ApproveAsync((await factory.DocumentAsync(document.Id)).Latest.Id);

        using var publisher = await factory.LoginAsync(PortalFactory.Publisher);
        var publish = await publisher.GetPageAsync("/Publish");
        var diff = publish.Document.QuerySelectorAll("#publish-panel a").Single(a => a.TextContent.StartsWith("What changed", StringComparison.Ordinal) && a.TextContent.Contains("Pulled muscle", StringComparison.Ordinal));
        Assert.Equal($"/Content/Compare/{document.Id}?from=1&to=2", diff.GetAttribute("href"));
        var compare = await publisher.GetPageAsync(diff.GetAttribute("href")!);
        Assert.Contains(compare.Document.QuerySelectorAll("ins"), e => e.TextContent.Contains("Rest", StringComparison.Ordinal));

        var retireOn = await factory.DocumentAsync("spinal-tumor");
        var details = await publisher.GetPageAsync($"/Content/Details/{retireOn.Id}");
        var retired = await publisher.PostFormAsync($"/Publish/Retire/{retireOn.Id}", details.Form("form[action^='/Publish/Retire']"));
        Assert.Equal(HttpStatusCode.Redirect, retired.StatusCode);

        var entries = await factory.WithDbAsync(db => db.AuditTrail.AsNoTracking().Where(e => e.Subject == $"document:{retireOn.Id}").Select(e => e.Action).ToListAsync());
        Assert.Contains("document.retired", entries);
        var chain = await factory.WithDbAsync(db => db.AuditTrail.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync());
        Assert.Null(ContentPortal.Domain.AuditChain.Verify(chain));
    }

    [Fact]
    public async Task An_editor_cannot_retire_even_with_a_valid_token()
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        using var client = await app.LoginAsync("editor@contentportal.test");
        var token = (await client.GetPageAsync("/Content")).Token;
        var id = await app.WithDbAsync(db => db.Documents.Select(d => d.Id).FirstAsync());

        var response = await client.PostFormAsync($"/Publish/Retire/{id}", [], token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(await app.WithDbAsync(db => db.Documents.AnyAsync(d => d.RetiredAt != null)));
    }
}
