using System.Net;
using System.Text.RegularExpressions;
using ContentPortal.Domain;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContentPortal.Web.Tests.Feed;

/// <summary>The publishing and webhook pages over HTTP: roles on the server, refusals next to the field, nothing half-saved.</summary>
public sealed partial class PublishPagesTests : IAsyncLifetime
{
    private readonly FeedFactory app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<(HttpClient Client, string Token)> LogInAsync(string email)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var login = await client.GetStringAsync("/Account/Login");
        var password = app.Services.GetRequiredService<IConfiguration>()["DemoUsers:Password"]!;
        var response = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["__RequestVerificationToken"] = Token(login),
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (client, Token(await client.GetStringAsync("/Content")));
    }

    private static string Token(string html) => TokenPattern().Match(html).Groups[1].Value;

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string token, string url, Dictionary<string, string>? form = null)
    {
        var fields = new Dictionary<string, string>(form ?? []) { ["__RequestVerificationToken"] = token };
        return client.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    [Theory]
    [InlineData("editor@contentportal.test", "/Publish", HttpStatusCode.Forbidden)]
    [InlineData("reviewer@contentportal.test", "/Publish/Republish/1", HttpStatusCode.Forbidden)]
    [InlineData("publisher@contentportal.test", "/Admin/Webhooks", HttpStatusCode.Forbidden)]
    [InlineData("publisher@contentportal.test", "/Publish", HttpStatusCode.OK)]
    [InlineData("admin@contentportal.test", "/Admin/Webhooks", HttpStatusCode.OK)]
    public async Task Pages_check_roles_on_the_server(string email, string url, HttpStatusCode status)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync(url)).StatusCode); // anonymous → login

        var (signedIn, _) = await LogInAsync(email);

        Assert.Equal(status, (await signedIn.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task An_editor_cannot_retire_even_with_a_valid_token()
    {
        var (client, token) = await LogInAsync("editor@contentportal.test");
        var id = await app.WithDbAsync(db => db.Documents.Select(d => d.Id).FirstAsync());

        var response = await PostAsync(client, token, $"/Publish/Retire/{id}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(await app.WithDbAsync(db => db.Documents.AnyAsync(d => d.RetiredAt != null)));
    }

    [Fact]
    public async Task Publishing_without_a_note_is_refused_next_to_the_field_and_publishes_nothing()
    {
        var (client, token) = await LogInAsync("publisher@contentportal.test");
        var id = await app.WithDbAsync(db => db.Documents.Where(d => d.Slug == "spinal-tumor").Select(d => d.Id).FirstAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(client, token, $"/Publish/Retire/{id}")).StatusCode);

        var response = await PostAsync(client, token, "/Publish", new() { ["Note"] = "   " });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Write a note saying what changed; consumers of the feed read it.", html);
        Assert.Matches("field-validation-error[^>]*data-valmsg-for=\"Note\"|data-valmsg-for=\"Note\"[^>]*field-validation-error", html);
        Assert.Equal(1, await app.WithDbAsync(db => db.Snapshots.CountAsync()));

        var published = await PostAsync(client, token, "/Publish", new() { ["Note"] = "Retired spinal tumour" });
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        Assert.Equal(2, app.Feed.Current!.SnapshotId);
    }

    [Theory]
    [InlineData("", "Enter the date and time to publish at.")]
    [InlineData("yesterday", "Enter the date and time to publish at.")]
    [InlineData("2026-11-24T08:59", "Pick a time in the future.")]
    public async Task A_schedule_needs_a_valid_future_time_and_keeps_the_typed_text(string publishAt, string error)
    {
        var (client, token) = await LogInAsync("publisher@contentportal.test");
        await app.ApproveNewVersionAsync("spinal-tumor", c => c with { Summary = "Later." });

        var response = await PostAsync(client, token, "/Publish?handler=Schedule", new() { ["Note"] = "Tomorrow's release", ["PublishAt"] = publishAt, ["TimezoneOffset"] = "0" });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains(error, html);
        Assert.Contains("Tomorrow&#x27;s release", html);
        Assert.False(await app.WithDbAsync(db => db.ScheduledPublishes.AnyAsync()));
    }

    [Fact]
    public async Task A_schedule_in_local_time_is_stored_in_utc_and_can_be_cancelled()
    {
        var (client, token) = await LogInAsync("publisher@contentportal.test");
        await app.ApproveNewVersionAsync("spinal-tumor", c => c with { Summary = "Later." });

        // 10:30 in a UTC+1 browser (getTimezoneOffset = -60) is 09:30 UTC.
        var response = await PostAsync(client, token, "/Publish?handler=Schedule", new() { ["Note"] = "Release", ["PublishAt"] = "2026-11-24T10:30", ["TimezoneOffset"] = "-60" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var schedule = await app.WithDbAsync(db => db.ScheduledPublishes.AsNoTracking().SingleAsync());
        Assert.Equal(new DateTime(2026, 11, 24, 9, 30, 0, DateTimeKind.Utc), schedule.DueAt);
        Assert.Equal(DateTimeKind.Utc, schedule.DueAt.Kind);

        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(client, token, $"/Publish?handler=Cancel&scheduleId={schedule.Id}")).StatusCode);
        var again = await PostAsync(client, token, $"/Publish?handler=Cancel&scheduleId={schedule.Id}");
        Assert.Contains("This scheduled publish was cancelled.", await again.Content.ReadAsStringAsync());
        Assert.Equal(ScheduleStatus.Cancelled, (await app.WithDbAsync(db => db.ScheduledPublishes.AsNoTracking().SingleAsync())).Status);
    }

    [Fact]
    public async Task Republish_makes_a_new_snapshot_with_the_earlier_content()
    {
        var (client, token) = await LogInAsync("publisher@contentportal.test");
        await app.ApproveNewVersionAsync("spinal-tumor", c => c with { Summary = "A worse summary." });
        await app.PublishAsync("Snapshot two");

        var page = await client.GetStringAsync("/Publish/Republish/1");
        Assert.Contains("Spinal tumor", page);
        var response = await PostAsync(client, token, "/Publish/Republish/1", new() { ["Note"] = "Roll back the summary" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var current = app.Feed.Current!;
        Assert.Equal(3, current.SnapshotId);
        var one = await app.WithDbAsync(db => db.Snapshots.AsNoTracking().SingleAsync(s => s.Id == 1));
        var three = await app.WithDbAsync(db => db.Snapshots.AsNoTracking().SingleAsync(s => s.Id == 3));
        Assert.Equal(one.Entries.Select(e => e.VersionId), three.Entries.Select(e => e.VersionId));
        Assert.Equal((1, "Roll back the summary"), (three.RepublishedFromId, three.Note));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/Publish/Republish/99")).StatusCode);
    }

    [Fact]
    public async Task Admin_adds_a_webhook_bad_input_comes_back_with_messages()
    {
        var (client, token) = await LogInAsync("admin@contentportal.test");

        var bad = await PostAsync(client, token, "/Admin/Webhooks", new() { ["SubscriberUrl"] = "ftp://x.example/hook", ["Secret"] = "short" });
        var html = await bad.Content.ReadAsStringAsync();
        Assert.Contains("Enter the full address the portal should POST to", html);
        Assert.Contains("Use a secret of at least 16 characters", html);
        Assert.Contains("value=\"ftp://x.example/hook\"", html);
        Assert.False(await app.WithDbAsync(db => db.WebhookSubscriptions.AnyAsync()));

        var good = await PostAsync(client, token, "/Admin/Webhooks", new() { ["SubscriberUrl"] = "https://hooks.example.org/cp", ["Secret"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        var subscription = await app.WithDbAsync(db => db.WebhookSubscriptions.AsNoTracking().SingleAsync());
        Assert.StartsWith("whsec_", subscription.Secret);
        Assert.Contains(subscription.Secret, await client.GetStringAsync("/Admin/Webhooks"));
        Assert.DoesNotContain(subscription.Secret, await client.GetStringAsync("/Admin/Webhooks")); // shown once
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
