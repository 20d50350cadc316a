using System.Net;
using System.Text.Json;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Pages.Audit;

/// <summary>The audit trail (Pages/Audit/Index): what it records, who may read it, export, and tamper detection.</summary>
public sealed class IndexTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Logins_failed_logins_and_actions_are_recorded_and_exported_as_csv_and_json()
    {
        using var failed = factory.NewClient();
        await failed.TryLoginAsync(PortalFactory.Editor, "wrong-password-123");
        var document = await factory.DocumentAsync("spinal-tumor");
        using var editor = await factory.LoginAsync(PortalFactory.Editor);
        await editor.SubmitAsync(document.Id, "Audit me.");

        using var admin = await factory.LoginAsync(PortalFactory.Admin);
        var csv = await admin.Http.GetAsync("/Audit?handler=Csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.StartsWith("text/csv", csv.Content.Headers.ContentType?.ToString());
        var text = await csv.Content.ReadAsStringAsync();
        Assert.StartsWith("sequence,at_utc,actor_id,actor_name,action,subject,details,previous_hash,hash\n", text);
        foreach (var action in new[] { "\"login.failed\"", "\"login.succeeded\"", "\"version.draft-opened\"", "\"version.saved\"", "\"version.submitted\"", "\"document.imported\"", "\"snapshot.published\"", "\"user.created\"" })
        {
            Assert.Contains(action, text);
        }

        var json = await admin.Http.GetAsync("/Audit?handler=Json&Action=version.submitted&Who=Erin%20Editor");
        using var entries = JsonDocument.Parse(await json.Content.ReadAsStringAsync());
        var submitted = Assert.Single(entries.RootElement.EnumerateArray().ToList());
        Assert.Equal("Erin Editor", submitted.GetProperty("actorName").GetString());
        Assert.Equal($"version:{(await factory.DocumentAsync(document.Id)).Latest.Id}", submitted.GetProperty("subject").GetString());
        Assert.Contains("Audit me.", submitted.GetProperty("details").GetString());
        Assert.EndsWith("Z", submitted.GetProperty("at").GetString());
        Assert.StartsWith("sha256:", submitted.GetProperty("hash").GetString());

        var verify = await admin.GetPageAsync("/Audit?handler=Verify");
        Assert.Contains("The chain is intact", verify.Text);
    }

    [Fact]
    public async Task Editors_and_publishers_cannot_read_the_audit_trail_and_nobody_can_change_it()
    {
        using var editor = await factory.LoginAsync(PortalFactory.Editor);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.Http.GetAsync("/Audit")).StatusCode);
        using var publisher = await factory.LoginAsync(PortalFactory.Publisher);
        Assert.Equal(HttpStatusCode.Forbidden, (await publisher.Http.GetAsync("/Audit?handler=Csv")).StatusCode);
        using var reviewer = await factory.LoginAsync(PortalFactory.Reviewer);
        Assert.Equal(HttpStatusCode.OK, (await reviewer.Http.GetAsync("/Audit")).StatusCode);

        // No page changes entries; the DbContext refuses it too.
        var error = await Assert.ThrowsAsync<ContentPortal.Domain.RefusedException>(() => factory.WithDbAsync(async db =>
        {
            var entry = await db.AuditTrail.OrderBy(e => e.Sequence).FirstAsync();
            db.AuditTrail.Remove(entry);
            return await db.SaveChangesAsync();
        }));
        Assert.Contains("append-only", error.Message);
    }

    [Theory]
    [InlineData("first")]
    [InlineData("middle")]
    [InlineData("last")]
    public async Task A_row_edited_in_the_database_is_named_by_verify(string where)
    {
        using var local = new PortalFactory();
        using var admin = await local.LoginAsync(PortalFactory.Admin);
        var sequences = await local.WithDbAsync(db => db.AuditTrail.OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync());
        var target = where switch { "first" => sequences[0], "middle" => sequences[sequences.Count / 2], _ => sequences[^1] };

        // As someone with sqlite3 would: change the text of one stored row.
        await local.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("UPDATE \"AuditTrail\" SET \"Details\" = 'nothing to see here' WHERE \"Sequence\" = {0}", target));

        var verify = await admin.GetPageAsync("/Audit?handler=Verify");
        Assert.Contains($"The chain is broken at entry {target}.", verify.Text);
        Assert.Contains("was altered after it was written", verify.Text);
    }
}
