using System.Net;
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
        var token = (await client.GetPageAsync("/Content")).Token;
        await app.ApproveNewVersionAsync("spinal-tumor", c => c with { Summary = "A worse summary." });
        await app.PublishAsync("Snapshot two");

        var page = await client.Http.GetStringAsync("/Publish/Republish/1");
        Assert.Contains("Spinal tumor", page);
        var response = await client.PostFormAsync("/Publish/Republish/1", [new("Note", "Roll back the summary")], token);

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
}
