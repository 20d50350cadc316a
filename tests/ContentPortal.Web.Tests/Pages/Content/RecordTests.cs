using System.Net;
using ContentPortal.Web.Tests.Infrastructure;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests.Pages.Content;

/// <summary>The printable signed record of a version (Pages/Content/Record): what it shows and who may read it.</summary>
public sealed class RecordTests : IDisposable
{
    private readonly PortalFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task The_record_prints_the_content_hash_every_signature_the_evidence_and_whether_the_audit_chain_verifies()
    {
        var document = await factory.DocumentAsync("spinal-tumor");
        using var editor = await factory.LoginAsync(Editor);
        await editor.SubmitAsync(document.Id, "Cites NICE.", form => form.Set("Input.References", "NICE guideline NG59 https://www.nice.org.uk/guidance/ng59"));
        var version = (await factory.DocumentAsync(document.Id)).Latest;
        using var reviewer = await factory.LoginAsync(Reviewer);
        await reviewer.ApproveAsync(version.Id);
        var signed = (await factory.DocumentAsync(document.Id)).Latest;
        var approval = Assert.Single(signed.Approvals);

        var details = await editor.GetPageAsync($"/Content/Details/{document.Id}");
        Assert.NotNull(details.Document.QuerySelector($"a[href='/Content/Record/{version.Id}']"));

        var record = await editor.GetPageAsync($"/Content/Record/{version.Id}");
        Assert.Contains(signed.ContentHash!, record.Text);
        var row = record.Document.QuerySelector("tr.record-signature")!.TextContent;
        Assert.Contains("Dr Rhea Reviewer", row);
        Assert.Contains("Reviewer", row);
        Assert.Contains(approval.SignedAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'"), row);
        Assert.Contains(approval.Meaning, row);
        Assert.NotNull(record.Document.QuerySelector($"tr.record-signature time[datetime]")); // the local time beside UTC
        Assert.Contains("Re-checked", record.Text);
        Assert.Contains("Reading age", record.Text);
        Assert.Contains("The audit chain verifies", record.Document.QuerySelector("#chain-status")!.TextContent);
        Assert.Contains("version.signed", record.Text);
        Assert.Contains("In review → Approved", record.Text);
        Assert.Contains("@media print", await factory.CreateClient().GetStringAsync("/css/site.css"));
    }

    [Theory]
    [InlineData(Editor, HttpStatusCode.OK)]
    [InlineData(Reviewer, HttpStatusCode.OK)]
    [InlineData(PortalFactory.Admin, HttpStatusCode.OK)]
    [InlineData(Publisher, HttpStatusCode.Forbidden)]
    public async Task Editors_reviewers_and_admins_may_read_a_record(string who, HttpStatusCode expected)
    {
        var version = (await factory.DocumentAsync("spinal-tumor")).Latest;
        using var user = await factory.LoginAsync(who);
        Assert.Equal(expected, (await user.Http.GetAsync($"/Content/Record/{version.Id}")).StatusCode);
    }

    [Fact]
    public async Task Anonymous_readers_are_sent_to_log_in_and_an_unknown_version_is_404()
    {
        var version = (await factory.DocumentAsync("spinal-tumor")).Latest;
        var anonymous = factory.CreateClient(new() { AllowAutoRedirect = false });
        var response = await anonymous.GetAsync($"/Content/Record/{version.Id}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location!.OriginalString);

        using var editor = await factory.LoginAsync(Editor);
        Assert.Equal(HttpStatusCode.NotFound, (await editor.Http.GetAsync($"/Content/Record/{Guid.NewGuid()}")).StatusCode);
    }
}
