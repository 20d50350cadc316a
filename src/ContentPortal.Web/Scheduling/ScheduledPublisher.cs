using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Feed;
using ContentPortal.Web.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Scheduling;

/// <summary>
/// Runs scheduled publishes at or after their time. On start it runs the ones that fell due while the
/// app was down, once each: a schedule's state changes in the same transaction as its snapshot.
/// </summary>
public sealed class ScheduledPublisher(
    IServiceScopeFactory scopes,
    PublishedFeed feed,
    WebhookOutbox outbox,
    TimeProvider clock,
    IConfiguration configuration,
    ILogger<ScheduledPublisher> logger) : BackgroundService
{
    private readonly TimeSpan interval = TimeSpan.FromSeconds(configuration.GetValue("Scheduling:PollSeconds", 15.0));

    // Rounds never overlap (the loop and a manual call), so one delivery/schedule is never tried twice at once.
    private readonly SemaphoreSlim round = new(1, 1);

    /// <summary>Off only in tests that drive rounds themselves (configuration Scheduling:Background).</summary>
    private readonly bool background = configuration.GetValue("Scheduling:Background", true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!background)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunDueAsync(stoppingToken);
                await Task.Delay(interval, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Scheduled publishing round failed; trying again next round.");
                await Task.Delay(interval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Runs every due schedule, oldest first (public for tests and for a manual nudge).</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        await round.WaitAsync(cancellationToken);
        try
        {
            return await RunDueOnceAsync(cancellationToken);
        }
        finally
        {
            round.Release();
        }
    }

    private async Task<int> RunDueOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            due = await db.ScheduledPublishes.AsNoTracking()
                .Where(s => s.Status == ScheduleStatus.Pending && s.DueAt <= now)
                .OrderBy(s => s.DueAt)
                .Select(s => s.Id)
                .ToListAsync(cancellationToken);
        }

        foreach (var id in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            try
            {
                var snapshot = await Publishing.RunScheduleAsync(db, feed, outbox, id, now, cancellationToken);
                if (snapshot is null)
                {
                    logger.LogWarning("Scheduled publish {Schedule} was not published: its content changed since scheduling.", id);
                }
            }
            catch (RefusedException refused)
            {
                // E.g. a manual publish took the same id a moment ago; the schedule stays pending for the next round.
                logger.LogWarning("Scheduled publish {Schedule} refused this round: {Reason}", id, refused.Message);
            }
        }

        return due.Count;
    }
}
