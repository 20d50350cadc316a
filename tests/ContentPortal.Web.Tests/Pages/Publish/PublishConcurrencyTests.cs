using System.Net;
using ContentPortal.Domain;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Tests.Pages.Publish;

/// <summary>
/// Publishing while people work (issue 9): publishes through the page and the service, logins and
/// autosaves all at once. Nobody gets a 500, every audit append finds its place, the chain verifies.
/// </summary>
public sealed class PublishConcurrencyTests : IAsyncLifetime
{
    private readonly PortalFactory app = new(PortalOptions.WithFakeClock());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Publishes_logins_and_autosaves_at_once_never_fail_and_leave_an_intact_audit_chain()
    {
        using var publisher = await app.LoginAsync(PortalFactory.Publisher);
        using var editor = await app.LoginAsync(PortalFactory.Editor);
        var draftDocument = await app.DocumentAsync("disc-degeneration");
        var edit = await editor.OpenDraftAsync(draftDocument.Id);
        var token = edit.Token!;
        var revision = Html.Revision(edit.Html);
        var statuses = new List<HttpStatusCode>();

        for (var round = 0; round < 4; round++)
        {
            await app.ApproveNewVersionAsync("lower-back-pain-when-lying-down", c => c with { Summary = $"Round {round}." });
            var publish = publisher.PublishAsync($"Round {round}");
            var racingPublish = Task.Run(async () =>
            {
                try
                {
                    await app.PublishAsync($"Racing round {round}");
                }
                catch (RefusedException)
                {
                    // Losing the race to the page's publish is a refusal with a message, never a failure.
                }
            });
            var logins = Enumerable.Range(0, 3).Select(async _ =>
            {
                using var person = app.NewClient();
                return (await person.TryLoginAsync(PortalFactory.Editor2, PortalFactory.Password)).StatusCode;
            }).ToList();
            var autosave = Task.Run(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, Steps.EditUrl(draftDocument.Id, "Autosave"))
                {
                    Content = Html.Form(token,
                        ("Input.Title", "Disc degeneration"), ("Input.Summary", "Summary"), ("Input.Body", $"Saved during round {round}."),
                        ("Input.References", ""), ("Input.ChangeNote", ""), ("Input.Revision", revision.ToString())),
                };
                request.Headers.Add("HX-Request", "true");
                using var response = await editor.Http.SendAsync(request);
                var html = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    revision = Html.Revision(html);
                }

                return response.StatusCode;
            });

            statuses.Add((await publish).StatusCode);
            statuses.AddRange(await Task.WhenAll(logins));
            statuses.Add(await autosave);
            await racingPublish;
        }

        Assert.DoesNotContain(statuses, s => (int)s >= 500);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.Conflict, $"unexpected {s}"));
        var trail = await app.WithDbAsync(db => db.AuditTrail.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync());
        Assert.Null(AuditChain.Verify(trail));
        Assert.Equal(Enumerable.Range(1, trail.Count).Select(i => (long)i), trail.Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range(1, (await app.SnapshotIdsAsync()).Count), await app.SnapshotIdsAsync());
        Assert.Contains("Saved during round 3.", (await app.DocumentAsync(draftDocument.Id)).OpenVersion!.BodyMarkdown);
    }
}
