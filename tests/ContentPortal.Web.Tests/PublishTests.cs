using System.Net;
using System.Text.Json;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests;

/// <summary>The Publish page: a snapshot only when something new was approved, numbered current + 1.</summary>
public sealed class PublishTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Publishing_with_nothing_new_is_refused_and_makes_no_snapshot()
    {
        using var publisher = await factory.LoginAsync(Publisher);
        var before = await factory.SnapshotIdsAsync();
        var current = before[^1];

        var page = await publisher.GetPageAsync("/Publish");
        Assert.Contains("Nothing new has been approved since the current snapshot.", page.Text);

        var response = await publisher.PublishAsync("Nothing to see.");
        var refused = await HtmlPage.ReadAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"Nothing new has been approved since snapshot {current}, so there is nothing to publish.", refused.Summary);

        var htmx = await publisher.PublishAsync("Nothing to see.", htmx: true);
        var fragment = await HtmlPage.ReadAsync(htmx);
        Assert.Equal(HttpStatusCode.OK, htmx.StatusCode);
        Assert.DoesNotContain("<html", fragment.Html, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(fragment.Document.QuerySelector("#publish-panel"));
        Assert.Contains($"Nothing new has been approved since snapshot {current}", fragment.Summary);

        Assert.Equal(before, await factory.SnapshotIdsAsync());
    }

    [Fact]
    public async Task Publishing_twice_makes_one_new_snapshot_numbered_one_higher_and_refuses_the_second()
    {
        var before = await factory.SnapshotIdsAsync();
        var current = before[^1];
        var document = await factory.DocumentAsync("ankylosing-spondylitis");
        using (var editor = await factory.LoginAsync(Editor))
        {
            await editor.SubmitAsync(document.Id, "Shorter summary.", form => form.Set("Input.Summary", "Arthritis of the spine, often worse at night."));
        }

        using (var reviewer = await factory.LoginAsync(Reviewer))
        {
            await reviewer.ApproveAsync((await factory.DocumentAsync(document.Id)).Latest.Id);
        }

        using var publisher = await factory.LoginAsync(Publisher);
        var plan = await publisher.GetPageAsync("/Publish");
        Assert.Contains($"Next snapshot ({current + 1})", plan.Text);

        var first = await publisher.PublishAsync("Summary update.");
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var afterFirst = await publisher.GetPageAsync("/Publish");
        Assert.Contains($"Published snapshot {current + 1}. The feed now serves it.", afterFirst.Text);

        var second = await publisher.PublishAsync("Again.");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains(
            $"Nothing new has been approved since snapshot {current + 1}, so there is nothing to publish.",
            (await HtmlPage.ReadAsync(second)).Summary);

        Assert.Equal([.. before, current + 1], await factory.SnapshotIdsAsync());
        var snapshots = await factory.WithDbAsync(db => db.Snapshots.AsNoTracking().OrderBy(s => s.Id).ToListAsync());
        Assert.Equal(Enumerable.Range(1, snapshots.Count), snapshots.Select(s => s.Id));
        var newest = snapshots[^1];
        Assert.Equal("Pat Publisher", newest.PublishedByName);
        Assert.Equal("Summary update.", newest.Note);
        Assert.Equal(6, newest.Entries.Count);

        using var anonymous = factory.NewClient();
        using var feed = JsonDocument.Parse(await anonymous.Http.GetStringAsync("/api/v1/feed"));
        Assert.Equal(current + 1, feed.RootElement.GetProperty("snapshot").GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Only_publishers_can_publish()
    {
        var before = await factory.SnapshotIdsAsync();
        foreach (var email in new[] { Editor, Reviewer })
        {
            using var client = await factory.LoginAsync(email);
            var token = (await client.GetPageAsync("/Content")).Token;
            var response = await client.PostFormAsync("/Publish", [new("Note", "Not mine to publish.")], token);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        Assert.Equal(before, await factory.SnapshotIdsAsync());
    }

    [Fact]
    public async Task An_htmx_publish_sends_the_navigation_along_so_its_counts_are_current()
    {
        var document = await factory.DocumentAsync("ankylosing-spondylitis");
        using var editor = await factory.LoginAsync(Editor);
        await editor.SubmitAsync(document.Id, "Nav count check.", form => form.Set("Input.Summary", document.Latest.Summary + " Nav."));
        using var reviewer = await factory.LoginAsync(Reviewer);
        await reviewer.ApproveAsync((await factory.DocumentAsync(document.Id)).Latest.Id);

        using var publisher = await factory.LoginAsync(Publisher);
        var before = await publisher.GetPageAsync("/Publish");
        Assert.Contains("approved, not yet published", before.Document.QuerySelector("#main-nav")!.TextContent);

        var response = await publisher.PublishAsync("Nav count check", htmx: true);
        var fragment = await HtmlPage.ReadAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var nav = fragment.Document.QuerySelector("#main-nav")!;
        Assert.Equal("true", nav.GetAttribute("hx-swap-oob"));
        Assert.DoesNotContain("approved, not yet published", nav.TextContent);
        Assert.Null((await publisher.GetPageAsync("/Publish")).Document.QuerySelector("#main-nav")!.GetAttribute("hx-swap-oob"));
    }
}
