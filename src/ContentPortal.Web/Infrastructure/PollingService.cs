namespace ContentPortal.Web.Infrastructure;

/// <summary>
/// A background loop that runs a round every <c>{section}:PollSeconds</c> (or sooner when woken), keeps
/// going after a failed round, stops with the host, and can be switched off with
/// <c>{section}:Background</c> = false (tests then drive rounds themselves through <see cref="RunRoundAsync"/>).
/// Rounds never overlap, so one schedule or delivery is never tried twice at once.
/// </summary>
public abstract class PollingService(IConfiguration configuration, string section, double defaultPollSeconds, TimeProvider clock, ILogger logger) : BackgroundService
{
    private readonly SemaphoreSlim round = new(1, 1);

    protected TimeProvider Clock { get; } = clock;

    protected ILogger Logger { get; } = logger;

    protected TimeSpan Interval { get; } = TimeSpan.FromSeconds(configuration.GetValue($"{section}:PollSeconds", defaultPollSeconds));

    private readonly bool background = configuration.GetValue($"{section}:Background", true);

    /// <summary>One round; answers how many items it looked at.</summary>
    protected abstract Task<int> RoundAsync(CancellationToken cancellationToken);

    /// <summary>The pause between rounds; a service that can be woken early overrides it.</summary>
    protected virtual Task WaitAsync(CancellationToken cancellationToken) => Task.Delay(Interval, Clock, cancellationToken);

    public async Task<int> RunRoundAsync(CancellationToken cancellationToken)
    {
        await round.WaitAsync(cancellationToken);
        try
        {
            return await RoundAsync(cancellationToken);
        }
        finally
        {
            round.Release();
        }
    }

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
                await RunRoundAsync(stoppingToken);
                await WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A database hiccup must not stop the loop for good; try again next round.
                Logger.LogError(e, "{Service} round failed; trying again next round.", GetType().Name);
                await Task.Delay(Interval, Clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
