using System.Net;
using ContentPortal.Web.Publishing;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Pages.Publish;

/// <summary>Republish (Pages/Publish/Republish): roll back to an earlier snapshot as a new one.</summary>
public sealed class RepublishTests
{
    [Fact]
    public async Task Republish_makes_a_new_snapshot_with_the_earlier_content()
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        using var client = await app.LoginAsync("publisher@contentportal.test");
        await app.ApproveNewVersionAsync("spinal-tumor", c => c with { Summary = "A worse summary." });
        await app.PublishAsync("Snapshot two");

        var page = await client.GetPageAsync("/Publish/Republish/1");
        Assert.Contains("Spinal tumor", page.Text);
        var response = await client.PostFormAsync("/Publish/Republish/1", page.Form("form[action='/Publish/Republish/1']").Set("Note", "Roll back the summary"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var current = app.Feed.Current!;
        Assert.Equal(3, current.SnapshotId);
        var one = await app.WithDbAsync(db => db.Snapshots.AsNoTracking().SingleAsync(s => s.Id == 1));
        var three = await app.WithDbAsync(db => db.Snapshots.AsNoTracking().SingleAsync(s => s.Id == 3));
        // A manifest is a set (its rows were written by different snapshots).
        Assert.Equal(
            await app.WithDbAsync(db => db.ManifestOf(1).Select(e => e.VersionId).OrderBy(v => v).ToListAsync()),
            await app.WithDbAsync(db => db.ManifestOf(3).Select(e => e.VersionId).OrderBy(v => v).ToListAsync()));
        Assert.Equal((1, "Roll back the summary"), (three.RepublishedFromId, three.Note));
        Assert.Equal(HttpStatusCode.NotFound, (await client.Http.GetAsync("/Publish/Republish/99")).StatusCode);
    }

    [Fact]
    public async Task Republish_publishes_nothing_when_the_roll_back_changed_after_its_page_was_shown()
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        using var client = await app.LoginAsync("publisher@contentportal.test");
        await app.ApproveNewVersionAsync("spinal-tumor", c => c with { Summary = "Snapshot two." });
        await app.PublishAsync("Snapshot two");
        await app.ApproveNewVersionAsync("disc-degeneration", c => c with { Summary = "Snapshot three." });
        await app.PublishAsync("Snapshot three");
        var shown = await client.GetPageAsync("/Publish/Republish/2");
        Assert.DoesNotContain("Urgent fix C", shown.Text);
        var form = shown.Form("form[action='/Publish/Republish/2']").Set("Note", "Roll back disc degeneration");

        // Meanwhile another publisher releases an urgent fix: rolling back to snapshot 2 would now remove it too.
        await app.CreateApprovedArticleAsync("urgent-fix-c", "Urgent fix C", "Call a doctor.");
        await app.PublishAsync("Urgent fix C");

        var refused = await HtmlPage.ReadAsync(await client.PostFormAsync("/Publish/Republish/2", form));
        Assert.Equal(HttpStatusCode.OK, refused.Response.StatusCode);
        Assert.Contains("What would be published changed after this page was shown", refused.Summary);
        Assert.Equal([1, 2, 3, 4], await app.SnapshotIdsAsync());
        Assert.Equal(4, app.Feed.Current!.SnapshotId);
        // The page lists the roll back as it is now, the fix's removal included, and confirming that works.
        Assert.Contains("Urgent fix C", refused.Text);
        Assert.NotEqual(shown.FieldValue("ShownPlan"), refused.FieldValue("ShownPlan"));
        var again = await client.PostFormAsync("/Publish/Republish/2", refused.Form("form[action='/Publish/Republish/2']").Set("Note", "Roll back, fix C included"));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(5, app.Feed.Current!.SnapshotId);

        // A post that does not say what was shown publishes nothing either.
        var blind = await HtmlPage.ReadAsync(await client.PostFormAsync("/Publish/Republish/3", [new("Note", "Blind")], refused.Token));
        Assert.Contains("did not say which changes you were shown", blind.Summary);
        Assert.Equal(5, app.Feed.Current!.SnapshotId);
    }
}
