using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Publishing;
using ContentPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Scheduling;

/// <summary>
/// Runs scheduled publishes and withdrawals at or after their time, and the overdue policy (flag, then withdraw
/// after the grace period). On start it runs the ones that fell due while the app was down, once each: a
/// schedule's or withdrawal's state changes in the same transaction as its snapshot, and a flag is in the manifest.
/// </summary>
public sealed class ScheduledPublisher(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    OverduePolicy overdue,
    IConfiguration configuration,
    ILogger<ScheduledPublisher> logger) : PollingService(configuration, "Scheduling", 15, clock, logger)
{
    /// <summary>Runs every due schedule, oldest first (public for tests and for a manual nudge).</summary>
    public Task<int> RunDueAsync(CancellationToken cancellationToken) => RunRoundAsync(cancellationToken);

    protected override async Task<int> RoundAsync(CancellationToken cancellationToken)
    {
        // Several instances: one looks for due schedules at a time (and the publish lock makes a
        // schedule that two rounds both saw run once: the second finds it already run).
        await using var turn = await ClusterLocks.TryTakeTurnAsync(scopes, ClusterLocks.SchedulerRound, cancellationToken);
        if (turn is null)
        {
            return 0;
        }

        var now = Clock.GetUtcNow().UtcDateTime;
        List<Guid> due;
        List<Guid> withdrawals;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            due = await db.ScheduledPublishes.AsNoTracking()
                .Where(s => s.Status == ScheduleStatus.Pending && s.DueAt <= now)
                .OrderBy(s => s.DueAt)
                .Select(s => s.Id)
                .ToListAsync(cancellationToken);
            withdrawals = await db.Withdrawals.AsNoTracking()
                .Where(w => w.Status == WithdrawalStatus.Pending && w.DueAt <= now)
                .OrderBy(w => w.DueAt)
                .Select(w => w.Id)
                .ToListAsync(cancellationToken);
        }

        foreach (var id in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                var snapshot = await scope.ServiceProvider.GetRequiredService<Publisher>().RunScheduleAsync(id, cancellationToken);
                if (snapshot is null)
                {
                    Logger.LogWarning("Scheduled publish {Schedule} was not published: its content changed since scheduling.", id);
                }
            }
            catch (RefusedException refused)
            {
                // E.g. a manual publish took the same id a moment ago; the schedule stays pending for the next round.
                Logger.LogWarning("Scheduled publish {Schedule} refused this round: {Reason}", id, refused.Message);
            }
        }

        foreach (var id in withdrawals)
        {
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                if (await scope.ServiceProvider.GetRequiredService<Publisher>().RunWithdrawalAsync(id, cancellationToken) is null)
                {
                    Logger.LogWarning("Withdrawal {Withdrawal} did not run: its document was no longer in the feed.", id);
                }
            }
            catch (RefusedException refused)
            {
                // As above: it stays pending (or has run already) and the next round decides.
                Logger.LogWarning("Withdrawal {Withdrawal} refused this round: {Reason}", id, refused.Message);
            }
        }

        return due.Count + withdrawals.Count + await RunOverduePolicyAsync(cancellationToken);
    }

    // The overdue policy: withdrawals whose grace is over first (such a document is not flagged as well), then
    // one snapshot flagging every other document whose review has fallen due.
    private async Task<int> RunOverduePolicyAsync(CancellationToken cancellationToken)
    {
        var ran = 0;
        List<Guid> overdueWithdrawals;
        await using (var scope = scopes.CreateAsyncScope())
        {
            overdueWithdrawals = await scope.ServiceProvider.GetRequiredService<Publisher>().OverdueWithdrawalsAsync(overdue, cancellationToken);
        }

        foreach (var id in overdueWithdrawals)
        {
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                ran += await scope.ServiceProvider.GetRequiredService<Publisher>().RunOverdueWithdrawalAsync(id, overdue, cancellationToken) is null ? 0 : 1;
            }
            catch (RefusedException refused)
            {
                Logger.LogWarning("Overdue withdrawal of document {Document} refused this round: {Reason}", id, refused.Message);
            }
        }

        await using (var scope = scopes.CreateAsyncScope())
        {
            try
            {
                ran += await scope.ServiceProvider.GetRequiredService<Publisher>().FlagOverdueAsync(cancellationToken) is null ? 0 : 1;
            }
            catch (RefusedException refused)
            {
                // E.g. a manual publish took the same id a moment ago: the next round flags them.
                Logger.LogWarning("Flagging overdue reviews refused this round: {Reason}", refused.Message);
            }
        }

        return ran;
    }
}
