using System.Net;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests.Pages.Admin;

/// <summary>
/// Review claims (Pages/Admin/Claims): administrators see the claims that have not lapsed and release
/// one; nobody else sees or releases them. Each test gets a fresh app (they claim the same seeded document).
/// </summary>
public sealed class ClaimsTests : IDisposable
{
    private readonly PortalFactory factory = new(PortalOptions.WithFakeClock());

    public void Dispose() => factory.Dispose();

    /// <summary>A seeded article submitted by the editor and claimed by Dr Rhea Reviewer.</summary>
    private async Task<DocumentVersion> ClaimedAsync()
    {
        var document = await factory.DocumentAsync("pulled-muscle-or-strain");
        using var editor = await factory.LoginAsync(Editor);
        await editor.SubmitAsync(document.Id, "Clarified rest advice.");
        var version = (await factory.DocumentAsync(document.Id)).Latest;
        using var reviewer = await factory.LoginAsync(Reviewer);
        var page = await reviewer.GetPageAsync($"/Review/Version/{version.Id}");
        Assert.Equal(HttpStatusCode.Redirect, (await reviewer.PostFormAsync($"/Review/Version/{version.Id}?handler=Claim", page.Form("#decision form[action*='handler=Claim']"))).StatusCode);
        return version;
    }

    [Fact]
    public async Task An_administrator_sees_a_claim_and_releases_it_and_the_release_is_audited()
    {
        var version = await ClaimedAsync();
        using var admin = await factory.LoginAsync(PortalFactory.Admin);

        var claims = await admin.GetPageAsync("/Admin/Claims");
        Assert.Contains($"{version.Title}, version {version.Number}", claims.Text);
        Assert.Contains("Release Dr Rhea Reviewer's claim", claims.Text);
        var released = await admin.PostFormAsync($"/Admin/Claims?handler=Release&versionId={version.Id}", claims.Form($"form[action*='{version.Id}']"));

        Assert.Equal(HttpStatusCode.Redirect, released.StatusCode);
        var after = await admin.GetPageAsync("/Admin/Claims");
        Assert.Contains($"Released Dr Rhea Reviewer's claim on {version.Title}, version {version.Number}.", after.Text);
        Assert.Contains("No version is claimed just now.", after.Text);
        Assert.Null((await factory.DocumentAsync(version.DocumentId)).Latest.ClaimedById);
        Assert.True(await factory.WithDbAsync(db => db.AuditTrail.AnyAsync(e => e.Action == AuditActions.VersionReleased && e.Details.Contains("released by an administrator"))));
    }

    [Theory]
    [InlineData(Reviewer)]
    [InlineData(Reviewer2)]
    [InlineData(Editor)]
    [InlineData(Publisher)]
    public async Task Nobody_but_an_administrator_sees_or_releases_claims(string who)
    {
        var version = await ClaimedAsync();
        using var admin = await factory.LoginAsync(PortalFactory.Admin);
        var form = (await admin.GetPageAsync("/Admin/Claims")).Form($"form[action*='{version.Id}']");
        using var other = await factory.LoginAsync(who);
        var token = (await other.GetPageAsync("/Content")).Token;

        Assert.Equal(HttpStatusCode.Forbidden, (await other.Http.GetAsync("/Admin/Claims")).StatusCode);
        var forged = await other.PostFormAsync($"/Admin/Claims?handler=Release&versionId={version.Id}", form.Fields.Where(f => f.Key != HtmlPage.TokenField), token);

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal("Dr Rhea Reviewer", (await factory.DocumentAsync(version.DocumentId)).Latest.ClaimedByName);
    }

    [Fact]
    public async Task A_claim_released_meanwhile_is_refused_with_the_list_as_it_is_now()
    {
        var version = await ClaimedAsync();
        using var admin = await factory.LoginAsync(PortalFactory.Admin);
        var claims = await admin.GetPageAsync("/Admin/Claims");
        // The reviewer releases their own claim while the administrator's list still shows it.
        using var reviewer = await factory.LoginAsync(Reviewer);
        var page = await reviewer.GetPageAsync($"/Review/Version/{version.Id}");
        Assert.Equal(HttpStatusCode.Redirect, (await reviewer.PostFormAsync($"/Review/Version/{version.Id}?handler=Release", page.Form("#decision form[action*='handler=Release']"))).StatusCode);

        var refused = await HtmlPage.ReadAsync(await admin.PostFormAsync($"/Admin/Claims?handler=Release&versionId={version.Id}", claims.Form($"form[action*='{version.Id}']")));

        Assert.Equal(HttpStatusCode.OK, refused.Response.StatusCode);
        Assert.Contains("Nobody has claimed this version.", refused.Summary);
        Assert.Contains("No version is claimed just now.", refused.Text);
    }

    [Fact]
    public async Task A_lapsed_claim_is_not_listed_and_an_unknown_version_is_refused()
    {
        var version = await ClaimedAsync();
        using var admin = await factory.LoginAsync(PortalFactory.Admin);
        var claims = await admin.GetPageAsync("/Admin/Claims");
        Assert.Contains("Dr Rhea Reviewer", claims.Text);

        factory.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        using var later = await factory.LoginAsync(PortalFactory.Admin); // sessions end sooner than claims
        Assert.Contains("No version is claimed just now.", (await later.GetPageAsync("/Admin/Claims")).Text);

        var token = (await later.GetPageAsync("/Admin/Claims")).Token;
        var unknown = await HtmlPage.ReadAsync(await later.PostFormAsync($"/Admin/Claims?handler=Release&versionId={Guid.NewGuid()}", [], token));
        Assert.Contains("That version no longer exists.", unknown.Summary);
        Assert.Equal(version.Id, (await factory.DocumentAsync(version.DocumentId)).Latest.Id);
    }
}
