using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ContentPortal.Domain;
using ContentPortal.Web.Infrastructure;
using ContentPortal.Web.Seeding;
using ContentPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContentPortal.Web.Tests.Deployment;

/// <summary>
/// Two portal instances (two app hosts) on one PostgreSQL database, as behind a load balancer:
/// one migration and seed, shared logins and forms, one audit chain, consecutive snapshots, a feed that
/// follows publishes made elsewhere, a schedule that runs once, presence seen across instances.
/// </summary>
[Trait("Category", "PostgreSQL")]
public sealed class SeveralInstancesTests : InstancesOnOneDatabase
{
    /// <summary>Starts both hosts at the same moment, as a rolling deployment or a cluster restart would.</summary>
    private async Task<(PortalFactory A, PortalFactory B)> StartTwoAsync(PortalOptions? options = null)
    {
        var a = Instance(options);
        var b = Instance(options);
        await Task.WhenAll(Task.Run(() => a.Services), Task.Run(() => b.Services));
        return (a, b);
    }

    [PostgresFact]
    public async Task Two_instances_starting_together_migrate_and_seed_once()
    {
        var (a, b) = await StartTwoAsync();

        Assert.Equal(6, await b.WithDbAsync(db => db.Documents.CountAsync()));
        Assert.Equal([1], await a.SnapshotIdsAsync());
        Assert.Equal(DemoUsers.Accounts.Count, await a.WithDbAsync(db => db.Users.CountAsync()));
        var chain = await a.WithDbAsync(db => db.AuditTrail.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync());
        Assert.Null(AuditChain.Verify(chain));
        Assert.Equal(1, chain.Count(e => e.Action == AuditActions.SnapshotPublished));
    }

    [PostgresFact]
    public async Task A_login_on_one_instance_is_valid_on_the_other_and_a_form_from_one_posts_to_the_other()
    {
        var (a, b) = await StartTwoAsync();
        // One browser, its requests spread over both instances by the load balancer: one cookie jar.
        var cookies = new CookieContainerHandler();
        using var viaA = new PortalClient(a.CreateDefaultClient(new Uri("http://localhost"), cookies));
        using var viaB = new PortalClient(b.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(cookies.Container)));

        await viaA.LoginAsync(PortalFactory.Editor);
        var dashboardOnB = await viaB.GetPageAsync("/");
        Assert.Contains("Log out", dashboardOnB.Text);

        var form = (await viaA.GetPageAsync("/Content/Create")).Form()
            .Set("Input.Kind", "Article").Set("Input.Title", "Written on A, saved on B").Set("Input.Slug", "written-on-a-saved-on-b");
        var created = await viaB.PostFormAsync("/Content/Create", form);

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.True(await a.WithDbAsync(db => db.Documents.AnyAsync(d => d.Slug == "written-on-a-saved-on-b")));
    }

    [PostgresFact]
    public async Task A_publish_on_one_instance_is_served_by_the_other_within_two_seconds()
    {
        var (a, b) = await StartTwoAsync();
        using var consumerOfB = b.CreateClient();
        Assert.Equal(1, await SnapshotIdAsync(consumerOfB));

        await a.ApproveNewVersionAsync("lower-back-pain-when-lying-down", c => c with { Summary = "Published on A." });
        await a.PublishAsync("Published on instance A");
        var watch = Stopwatch.StartNew();
        var served = 1;
        while (served != 2 && watch.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(50);
            served = await SnapshotIdAsync(consumerOfB);
        }

        Assert.Equal(2, served);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"Instance B served snapshot 2 after {watch.Elapsed.TotalSeconds:0.0} s; the promise is 2 s.");
        var onA = await a.CreateClient().GetByteArrayAsync("/api/v1/feed");
        var onB = await consumerOfB.GetByteArrayAsync("/api/v1/feed");
        Assert.Equal(onA, onB); // the same snapshot, byte for byte, never a mix
    }

    [PostgresFact]
    public async Task Publishes_racing_on_two_instances_take_turns_consecutive_ids_one_audit_chain()
    {
        var (a, b) = await StartTwoAsync();
        var slugs = await a.WithDbAsync(db => db.Documents.Select(d => d.Slug).ToListAsync());
        var refusals = new List<string>();
        for (var round = 0; round < 5; round++)
        {
            await (round % 2 == 0 ? a : b).ApproveNewVersionAsync(slugs[round], c => c with { Summary = $"Round {round}." });
            var racing = new[] { a, b }.Select(async instance =>
            {
                try
                {
                    await instance.PublishAsync($"Round {round}");
                }
                catch (RefusedException refused)
                {
                    lock (refusals)
                    {
                        refusals.Add(refused.Message);
                    }
                }
            });
            await Task.WhenAll(racing);
        }

        // One publish per round; the other waited its turn and was refused in words (it found the other
        // instance's snapshot newer than the one it planned against, or nothing left to publish), never a
        // key collision or a 500.
        Assert.Equal([1, 2, 3, 4, 5, 6], await a.SnapshotIdsAsync());
        Assert.Equal(5, refusals.Count);
        Assert.All(refusals, r => Assert.True(
            r.Contains("Someone else published", StringComparison.Ordinal) || r.Contains("Nothing", StringComparison.OrdinalIgnoreCase), r));
        var chain = await b.WithDbAsync(db => db.AuditTrail.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync());
        Assert.Null(AuditChain.Verify(chain));
        Assert.Equal(Enumerable.Range(1, chain.Count).Select(i => (long)i), chain.Select(e => (long)e.Sequence));
    }

    [PostgresFact]
    public async Task Audit_appends_from_both_instances_at_once_form_one_unbroken_chain()
    {
        var (a, b) = await StartTwoAsync();
        var before = await a.WithDbAsync(db => db.AuditTrail.CountAsync());

        // 40 logins (each an audited event), half on each instance, all at once.
        await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            using var client = await (i % 2 == 0 ? a : b).LoginAsync(PortalFactory.Reviewer);
        }));

        var chain = await b.WithDbAsync(db => db.AuditTrail.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync());
        Assert.Null(AuditChain.Verify(chain));
        Assert.True(chain.Count >= before + 40, $"Expected at least 40 new entries, got {chain.Count - before}.");
    }

    [PostgresFact]
    public async Task A_due_schedule_runs_exactly_once_when_both_instances_look_at_the_same_moment()
    {
        var clock = new FakeTimeProvider(PortalFactory.Start);
        var (a, b) = await StartTwoAsync(new PortalOptions { Clock = clock });
        await a.ApproveNewVersionAsync("lower-back-pain-when-lying-down", c => c with { Summary = "Scheduled." });
        await a.WithPublisherAsync(p => p.ScheduleAsync(TestActors.Publisher, PortalFactory.Start.UtcDateTime.AddHours(1), "At ten"));
        clock.Advance(TimeSpan.FromHours(2));

        await Task.WhenAll(Task.Run(() => a.Scheduler.RunDueAsync(CancellationToken.None)), Task.Run(() => b.Scheduler.RunDueAsync(CancellationToken.None)));
        await Task.WhenAll(Task.Run(() => a.Scheduler.RunDueAsync(CancellationToken.None)), Task.Run(() => b.Scheduler.RunDueAsync(CancellationToken.None)));

        Assert.Equal([1, 2], await a.SnapshotIdsAsync());
        var schedule = await b.WithDbAsync(db => db.ScheduledPublishes.AsNoTracking().SingleAsync());
        Assert.Equal(ScheduleStatus.Published, schedule.Status);
    }

    [PostgresFact]
    public async Task People_with_the_same_draft_open_on_different_instances_see_each_other()
    {
        var (a, b) = await StartTwoAsync();
        var document = await a.DocumentAsync("lower-back-pain-when-lying-down");

        await BeatAsync(a, document.Id, "erin", "Erin Editor");
        var seenOnB = await BeatAsync(b, document.Id, "eddie", "Eddie Editor");

        Assert.Equal("Erin Editor", Assert.Single(seenOnB).Name);
        Assert.Equal("Eddie Editor", Assert.Single(await BeatAsync(a, document.Id, "erin", "Erin Editor")).Name);
    }

    private static async Task<IReadOnlyList<DraftPresence.Visit>> BeatAsync(PortalFactory instance, Guid document, string userId, string name)
    {
        await using var scope = instance.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DraftPresence>().BeatAsync(document, userId, name);
    }

    private static async Task<int> SnapshotIdAsync(HttpClient client)
    {
        using var feed = JsonDocument.Parse(await client.GetStringAsync("/api/v1/feed"));
        return feed.RootElement.GetProperty("snapshot").GetProperty("id").GetInt32();
    }
}
