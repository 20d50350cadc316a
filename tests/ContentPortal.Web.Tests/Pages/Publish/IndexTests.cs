using System.Net;
using System.Text.Json;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static ContentPortal.Web.Publishing.ManifestStore;
using static ContentPortal.Web.Tests.Infrastructure.PortalFactory;

namespace ContentPortal.Web.Tests.Pages.Publish;

/// <summary>
/// The Publish page (Pages/Publish/Index): a snapshot only when something new was approved, numbered
/// current + 1, with a required note; scheduling. The schedule tests run on a fresh app with a fake clock.
/// </summary>
public sealed class IndexTests(PortalFactory factory) : IClassFixture<PortalFactory>
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
        Assert.Equal(6, newest.DocumentCount);
        Assert.Equal(6, await factory.WithDbAsync(db => db.ManifestOf(newest.Id).CountAsync()));

        using var anonymous = factory.NewClient();
        using var feed = JsonDocument.Parse(await anonymous.Http.GetStringAsync("/api/v1/feed"));
        Assert.Equal(current + 1, feed.RootElement.GetProperty("snapshot").GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Publishing_without_a_note_is_refused_next_to_the_field_and_publishes_nothing()
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        using var client = await app.LoginAsync("publisher@contentportal.test");
        var token = (await client.GetPageAsync("/Content")).Token;
        var id = await app.WithDbAsync(db => db.Documents.Where(d => d.Slug == "spinal-tumor").Select(d => d.Id).FirstAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"/Publish/Retire/{id}", [], token)).StatusCode);

        var response = await client.PostFormAsync("/Publish", [new("Note", "   ")], token);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Write a note saying what changed; consumers of the feed read it.", html);
        Assert.Matches("field-validation-error[^>]*data-valmsg-for=\"Note\"|data-valmsg-for=\"Note\"[^>]*field-validation-error", html);
        Assert.Equal(1, await app.WithDbAsync(db => db.Snapshots.CountAsync()));

        var shown = (await client.GetPageAsync("/Publish")).FieldValue("ShownPlan")!;
        var published = await client.PostFormAsync("/Publish", [new("Note", "Retired spinal tumour"), new("ShownPlan", shown)], token);
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        Assert.Equal(2, app.Feed.Current!.SnapshotId);
    }

    [Fact]
    public async Task Publish_now_releases_only_what_the_page_showed_and_refuses_a_plan_that_changed_since()
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        using var client = await app.LoginAsync("publisher@contentportal.test");
        await app.ApproveNewVersionAsync("spinal-tumor", c => c with { Summary = "Seen." });
        var shown = await client.GetPageAsync("/Publish");
        var form = shown.Form("#publish-panel form").Set("Note", "What I saw");
        Assert.False(string.IsNullOrEmpty(shown.FieldValue("ShownPlan")));

        // Approved after the page was rendered: not seen, so not published.
        await app.ApproveNewVersionAsync("disc-degeneration", c => c with { Summary = "Not seen." });
        var refused = await HtmlPage.ReadAsync(await client.PostFormAsync("/Publish", form, htmx: true));
        Assert.Contains("What would be published changed after this page was shown", refused.Summary);
        Assert.Equal(1, await app.WithDbAsync(db => db.Snapshots.CountAsync()));
        Assert.Contains((await app.DocumentAsync("disc-degeneration")).Latest.Title, refused.Text);
        Assert.NotEqual(shown.FieldValue("ShownPlan"), refused.FieldValue("ShownPlan"));

        // The panel came back with the plan as it is now: publishing that works.
        var again = refused.Form("#publish-panel form").Set("Note", "Both, seen");
        var published = await HtmlPage.ReadAsync(await client.PostFormAsync("/Publish", again, htmx: true));
        Assert.Contains("Published snapshot 2.", published.Text);

        // A post that does not say what was shown publishes nothing either.
        await app.ApproveNewVersionAsync("spinal-tumor", c => c with { Summary = "Third." });
        var page = await client.GetPageAsync("/Publish");
        var blind = await HtmlPage.ReadAsync(await client.PostFormAsync("/Publish", [new("Note", "Blind")], page.Token!));
        Assert.Contains("did not say which changes you were shown", blind.Summary);
        Assert.Equal(2, await app.WithDbAsync(db => db.Snapshots.CountAsync()));
    }

    [Fact]
    public async Task Two_publishes_at_once_make_one_snapshot_and_refuse_the_other()
    {
        var document = await factory.DocumentAsync("disc-degeneration");
        using (var editor = await factory.LoginAsync(Editor))
        {
            await editor.SubmitAsync(document.Id, "Race.", form => form.Set("Input.Summary", "Wear and tear of the spinal discs."));
        }

        using (var reviewer = await factory.LoginAsync(Reviewer))
        {
            await reviewer.ApproveAsync((await factory.DocumentAsync(document.Id)).Latest.Id);
        }

        var before = await factory.SnapshotIdsAsync();
        using var publisher = await factory.LoginAsync(Publisher);
        using var admin = await factory.LoginAsync(PortalFactory.Admin);
        var forms = await Task.WhenAll(
            publisher.GetPageAsync("/Publish").ContinueWith(t => t.Result.Form("#publish-panel form").Set("Note", "one"), TaskScheduler.Default),
            admin.GetPageAsync("/Publish").ContinueWith(t => t.Result.Form("#publish-panel form").Set("Note", "two"), TaskScheduler.Default));
        var responses = await Task.WhenAll(
            publisher.PostFormAsync("/Publish", forms[0], htmx: true),
            admin.PostFormAsync("/Publish", forms[1], htmx: true));
        var pages = await Task.WhenAll(responses.Select(HtmlPage.ReadAsync));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(pages, p => p.Text.Contains($"Published snapshot {before[^1] + 1}.", StringComparison.Ordinal));
        Assert.Single(pages, p => p.Summary.Length > 0);
        Assert.Equal([.. before, before[^1] + 1], await factory.SnapshotIdsAsync());
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

    [Theory]
    [InlineData("", "Enter the date and time to publish at.")]
    [InlineData("yesterday", "Enter the date and time to publish at.")]
    [InlineData("2026-11-24T08:59", "Pick a time in the future.")]
    public async Task A_schedule_needs_a_valid_future_time_and_keeps_the_typed_text(string publishAt, string error)
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        using var client = await app.LoginAsync("publisher@contentportal.test");
        var token = (await client.GetPageAsync("/Content")).Token;
        await app.ApproveNewVersionAsync("spinal-tumor", c => c with { Summary = "Later." });

        var shown = (await client.GetPageAsync("/Publish")).FieldValue("ShownPlan")!;
        var response = await client.PostFormAsync("/Publish?handler=Schedule", [new("Note", "Tomorrow's release"), new("PublishAt", publishAt), new("TimezoneOffset", "0"), new("ShownPlan", shown)], token);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains(error, html);
        Assert.Contains("Tomorrow&#x27;s release", html);
        Assert.False(await app.WithDbAsync(db => db.ScheduledPublishes.AnyAsync()));
    }

    [Fact]
    public async Task A_schedule_in_local_time_is_stored_in_utc_and_can_be_cancelled()
    {
        await using var app = new PortalFactory(PortalOptions.WithFakeClock());
        using var client = await app.LoginAsync("publisher@contentportal.test");
        var token = (await client.GetPageAsync("/Content")).Token;
        await app.ApproveNewVersionAsync("spinal-tumor", c => c with { Summary = "Later." });

        // 10:30 in a UTC+1 browser (getTimezoneOffset = -60) is 09:30 UTC.
        var shown = (await client.GetPageAsync("/Publish")).FieldValue("ShownPlan")!;
        var response = await client.PostFormAsync("/Publish?handler=Schedule", [new("Note", "Release"), new("PublishAt", "2026-11-24T10:30"), new("TimezoneOffset", "-60"), new("ShownPlan", shown)], token);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var schedule = await app.WithDbAsync(db => db.ScheduledPublishes.AsNoTracking().SingleAsync());
        Assert.Equal(new DateTime(2026, 11, 24, 9, 30, 0, DateTimeKind.Utc), schedule.DueAt);
        Assert.Equal(DateTimeKind.Utc, schedule.DueAt.Kind);

        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"/Publish?handler=Cancel&scheduleId={schedule.Id}", [], token)).StatusCode);
        var again = await client.PostFormAsync($"/Publish?handler=Cancel&scheduleId={schedule.Id}", [], token);
        Assert.Contains("This scheduled publish was cancelled.", await again.Content.ReadAsStringAsync());
        Assert.Equal(ScheduleStatus.Cancelled, (await app.WithDbAsync(db => db.ScheduledPublishes.AsNoTracking().SingleAsync())).Status);
    }
}
