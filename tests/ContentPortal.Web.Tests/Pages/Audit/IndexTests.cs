using System.Net;
using System.Text.Json;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
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

    [Fact]
    public async Task An_overlong_or_nul_filter_is_refused_in_words_on_either_store()
    {
        using var admin = await factory.LoginAsync(PortalFactory.Admin);

        // Too long: said at the field, nothing listed, the typed text kept.
        var page = await admin.GetPageAsync("/Audit?Who=" + new string('x', 300));
        Assert.Contains("At most 256 characters.", page.Text);
        Assert.Contains("Nothing is listed: the filter cannot be used. Who: At most 256 characters.", page.Text);
        Assert.Equal(new string('x', 300), page.FieldValue("Who"));
        Assert.Equal("At most 256 characters.", page.FieldError("Who"));
        var export = await admin.Http.GetAsync("/Audit?handler=Json&Subject=" + new string('x', 300));
        Assert.Equal(HttpStatusCode.BadRequest, export.StatusCode);
        Assert.Equal("application/problem+json", export.Content.Headers.ContentType?.MediaType);

        // U+0000: PostgreSQL refuses it in any text parameter, so both stores refuse it before a handler runs.
        var nul = await admin.Http.GetAsync("/Audit?Who=a%00b");
        Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
        Assert.Contains("NUL character", await nul.Content.ReadAsStringAsync());
        var api = await admin.Http.GetAsync("/api/v1/lookup?system=http%3A%2F%2Fsnomed.info%2Fsct&code=1%00");
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
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

    [Fact]
    public async Task Deleting_the_last_entries_is_detected_by_the_checkpoint_written_at_publish()
    {
        await using var local = new PortalFactory();
        using var admin = await local.LoginAsync(PortalFactory.Admin);
        await local.ApproveNewVersionAsync("lower-back-pain-when-lying-down", c => c with { Summary = "Anchored." });
        await local.PublishAsync();
        var intact = await admin.GetPageAsync("/Audit?handler=Verify");
        Assert.Contains("The chain is intact", intact.Text);
        // In plain words (issue 26): how far the trail is whole, and when it was last signed (a keyed checkpoint).
        Assert.Matches(new System.Text.RegularExpressions.Regex(@"complete and unaltered up to entry \d+,\s+last signed on \d{1,2} \w{3} \d{4}, \d\d:\d\d UTC \(at entry \d+, key [A-Za-z0-9_-]{43}\)"), intact.Text);

        var last = await local.WithDbAsync(db => db.AuditTrail.MaxAsync(e => e.Sequence));
        await local.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditTrail\" WHERE \"Sequence\" > {0}", last - 3));

        var verify = await admin.GetPageAsync("/Audit?handler=Verify");
        Assert.Contains($"The trail ends at entry {last - 3}", verify.Text);
        Assert.Contains("entries were deleted from the end", verify.Text);
        Assert.Equal(1, await ContentPortal.Web.Seeding.VerifyAuditCommand.RunAsync(local.Services));
    }

    [Fact]
    public async Task Every_snapshot_carries_the_chain_head_and_verify_holds_the_trail_to_it_even_without_checkpoints()
    {
        await using var local = new PortalFactory();
        using var admin = await local.LoginAsync(PortalFactory.Admin);
        await local.ApproveNewVersionAsync("lower-back-pain-when-lying-down", c => c with { Summary = "Anchored in the feed." });
        await local.PublishAsync();

        // The feed's header names the newest entry written before the publish, with its hash.
        using var anonymous = local.NewClient();
        using var feed = JsonDocument.Parse(await anonymous.Http.GetStringAsync("/api/v1/feed"));
        var head = feed.RootElement.GetProperty("snapshot").GetProperty("auditChainHead");
        var sequence = head.GetProperty("sequence").GetInt64();
        Assert.True(sequence > 0);
        Assert.Equal(head.GetProperty("hash").GetString(),
            await local.WithDbAsync(db => db.AuditTrail.Where(e => e.Sequence == sequence).Select(e => e.Hash).SingleAsync()));

        // Someone deletes that entry and everything after it, and the keyed checkpoints with them.
        await local.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditCheckpoints\""));
        await local.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditTrail\" WHERE \"Sequence\" >= {0}", sequence));

        var verify = await admin.GetPageAsync("/Audit?handler=Verify");
        Assert.Contains($"told its consumers that the trail reached entry {sequence}, but the trail has no entry {sequence}: entries were deleted.", verify.Text);
        Assert.Equal(1, await ContentPortal.Web.Seeding.VerifyAuditCommand.RunAsync(local.Services));
    }

    [Fact]
    public async Task An_edit_followed_by_rehashing_every_later_entry_is_detected()
    {
        await using var local = new PortalFactory();
        using var admin = await local.LoginAsync(PortalFactory.Admin);
        await local.Services.GetRequiredService<ContentPortal.Web.Auditing.AuditCheckpointer>().CheckpointAsync(default);

        // Someone with database access rewrites entry 2 and recomputes every hash after it: the chain alone fits again.
        await ContentPortal.Web.Tests.Audit.AuditTampering.RewriteAndRehashAsync(local, 2);

        var verify = await admin.GetPageAsync("/Audit?handler=Verify");
        Assert.Contains("the chain up to it was rewritten and rehashed", verify.Text);
        Assert.DoesNotContain("The chain is intact", verify.Text);
    }

    // SQLite stores times as text, so a row can hold a time that no longer parses; PostgreSQL's typed
    // column refuses such a value, so tests/run leaves this one out of its PostgreSQL pass.
    [Fact]
    [Trait("Category", "SqliteOnly")]
    public async Task A_row_that_no_longer_parses_is_reported_as_unreadable_never_a_crash()
    {
        await using var local = new PortalFactory();
        using var admin = await local.LoginAsync(PortalFactory.Admin);
        await local.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("UPDATE AuditTrail SET At = 'not a time' WHERE Sequence = 2"));

        var list = await admin.GetPageAsync("/Audit");
        Assert.Contains("A stored audit row cannot be read", list.Text);
        var verify = await admin.GetPageAsync("/Audit?handler=Verify");
        Assert.Contains("(entry 2) cannot be read", verify.Text);
        var csv = await admin.Http.GetAsync("/Audit?handler=Csv");
        Assert.Equal(HttpStatusCode.Conflict, csv.StatusCode);
        Assert.Equal(1, await ContentPortal.Web.Seeding.VerifyAuditCommand.RunAsync(local.Services));
    }
}
