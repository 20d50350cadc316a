using System.Net;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests.Pages.Review;

/// <summary>
/// The review queue (Pages/Review/Index): every version in review and nothing else, oldest first, and for
/// each whether the person looking may approve it. Reviewers only. Each test gets a fresh app (they send
/// the same seeded documents to review).
/// </summary>
public sealed class IndexTests : IDisposable
{
    private readonly PortalFactory factory = new(PortalOptions.WithFakeClock());

    public void Dispose() => factory.Dispose();

    /// <summary>The queue's rows as cells: title, version, submitted, change note, claimed by, you can approve.</summary>
    private static async Task<IReadOnlyList<string[]>> RowsAsync(PortalClient reviewer)
    {
        var page = await reviewer.GetPageAsync("/Review");
        return page.Document.QuerySelectorAll("table.list tbody tr")
            .Select(row => row.QuerySelectorAll("td").Select(td => string.Join(" ", td.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))).ToArray())
            .ToList();
    }

    private static string[] RowOf(IReadOnlyList<string[]> rows, string title) => Assert.Single(rows, r => r[0] == title);

    [Fact]
    public async Task Reviewers_see_every_version_in_review_oldest_first_and_nothing_else()
    {
        Assert.Contains("Nothing is waiting for review.", (await (await factory.LoginAsync(Reviewer)).GetPageAsync("/Review")).Text);
        var strain = await factory.DocumentAsync("pulled-muscle-or-strain");
        var tumour = await factory.DocumentAsync("spinal-tumor");
        var draftOnly = await factory.DocumentAsync("ankylosing-spondylitis");
        using var editor = await factory.LoginAsync(Editor);
        await editor.SubmitAsync(strain.Id, "Heat packs added.");
        factory.Clock.Advance(TimeSpan.FromMinutes(5));
        await editor.SubmitAsync(tumour.Id, "Clearer red flags.");
        await editor.OpenDraftAsync(draftOnly.Id); // a draft: not the reviewers' yet

        using var reviewer = await factory.LoginAsync(Reviewer);
        var rows = await RowsAsync(reviewer);

        Assert.Equal([strain.Latest.Title, tumour.Latest.Title], rows.Select(r => r[0]));
        var row = RowOf(rows, strain.Latest.Title);
        Assert.Equal(["v2", "Heat packs added.", "Nobody", "Yes"], new[] { row[1], row[3], row[4], row[5] });
        Assert.EndsWith("by Erin Editor", row[2]);
        Assert.Equal("Clearer red flags.", RowOf(rows, tumour.Latest.Title)[3]);
        var links = (await reviewer.GetPageAsync("/Review")).Document.QuerySelectorAll("table.list tbody a").Select(a => a.GetAttribute("href")).ToList();
        var inReview = new[] { strain.Id, tumour.Id }.Select(async id => (await factory.DocumentAsync(id)).Latest.Id);
        Assert.Equal((await Task.WhenAll(inReview)).Select(id => $"/Review/Version/{id}"), links);
    }

    [Fact]
    public async Task The_queue_tells_each_reviewer_whether_they_may_approve()
    {
        var strain = await factory.DocumentAsync("pulled-muscle-or-strain");
        using var admin = await factory.LoginAsync(PortalFactory.Admin); // an editor too: this version is their work
        await admin.SubmitAsync(strain.Id, "Reworded by the administrator.");
        var version = (await factory.DocumentAsync(strain.Id)).Latest;
        using var reviewer = await factory.LoginAsync(Reviewer);
        using var reviewer2 = await factory.LoginAsync(Reviewer2);

        Assert.Equal("No: you edited it", RowOf(await RowsAsync(admin), version.Title)[5]);
        Assert.Equal("Yes", RowOf(await RowsAsync(reviewer2), version.Title)[5]);

        var page = await reviewer.GetPageAsync($"/Review/Version/{version.Id}");
        Assert.Equal(HttpStatusCode.Redirect, (await reviewer.PostFormAsync($"/Review/Version/{version.Id}?handler=Claim", page.Form("#decision form[action*='handler=Claim']"))).StatusCode);

        Assert.Equal(["Dr Rhea Reviewer", "Yes"], RowOf(await RowsAsync(reviewer), version.Title)[4..]);
        Assert.Equal(["Dr Rhea Reviewer", "Not while Dr Rhea Reviewer has it"], RowOf(await RowsAsync(reviewer2), version.Title)[4..]);

        // A lapsed claim blocks nobody (Workflow:ClaimDays, 3), and the queue shows it unclaimed.
        factory.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        using var later = await factory.LoginAsync(Reviewer2);
        Assert.Equal(["Nobody", "Yes"], RowOf(await RowsAsync(later), version.Title)[4..]);
    }

    [Fact]
    public async Task A_reviewer_who_signed_is_told_another_signature_is_needed()
    {
        using var twoSignatures = new PortalFactory(new PortalOptions { RequiredApprovals = 2 });
        var strain = await twoSignatures.DocumentAsync("pulled-muscle-or-strain");
        using var editor = await twoSignatures.LoginAsync(Editor);
        await editor.SubmitAsync(strain.Id, "Heat packs added.");
        var version = (await twoSignatures.DocumentAsync(strain.Id)).Latest;
        using var reviewer = await twoSignatures.LoginAsync(Reviewer);
        await reviewer.ApproveAsync(version.Id);
        Assert.Equal(VersionStatus.InReview, (await twoSignatures.DocumentAsync(strain.Id)).Latest.Status);

        Assert.Equal("No: you already signed it", RowOf(await RowsAsync(reviewer), version.Title)[5]);
        using var reviewer2 = await twoSignatures.LoginAsync(Reviewer2);
        Assert.Equal("Yes", RowOf(await RowsAsync(reviewer2), version.Title)[5]);
    }

    [Theory]
    [InlineData(Editor, HttpStatusCode.Forbidden)]
    [InlineData(Editor2, HttpStatusCode.Forbidden)]
    [InlineData(Publisher, HttpStatusCode.Forbidden)]
    [InlineData(Reviewer, HttpStatusCode.OK)]
    [InlineData(PortalFactory.Admin, HttpStatusCode.OK)] // the demo administrator holds the reviewer role
    public async Task Only_reviewers_open_the_queue(string who, HttpStatusCode expected)
    {
        var strain = await factory.DocumentAsync("pulled-muscle-or-strain");
        using var editor = await factory.LoginAsync(Editor);
        await editor.SubmitAsync(strain.Id, "Heat packs added.");
        using var person = await factory.LoginAsync(who);

        var response = await person.Http.GetAsync("/Review");

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == HttpStatusCode.OK, (await response.Content.ReadAsStringAsync()).Contains("Heat packs added."));
    }

    [Fact]
    public async Task Without_a_login_the_queue_leads_to_the_login()
    {
        using var anonymous = factory.NewClient();

        var response = await anonymous.Http.GetAsync("/Review");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location?.OriginalString);
    }
}
