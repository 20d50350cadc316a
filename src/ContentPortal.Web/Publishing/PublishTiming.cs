using ContentPortal.Domain;

namespace ContentPortal.Web.Publishing;

/// <summary>Where a publish spends its time, logged once it is done: bench/scale.sh reads the line.</summary>
internal sealed class PublishTiming
{
    private readonly System.Diagnostics.Stopwatch clockwork = System.Diagnostics.Stopwatch.StartNew();
    private readonly TimeSpan paused = GC.GetTotalPauseDuration();
    private long planned;
    private long rendered;
    private long sealedAt;
    private long committed;

    public static PublishTiming Start() => new();

    public void Planned() => planned = clockwork.ElapsedMilliseconds;

    public void Rendered() => rendered = clockwork.ElapsedMilliseconds;

    public void Sealed() => sealedAt = clockwork.ElapsedMilliseconds;

    public void Committed() => committed = clockwork.ElapsedMilliseconds;

    public void Log(ILogger logger, Publication publication) =>
        logger.LogInformation(
            "Published snapshot {Id}: {Documents} documents, {Changed} changed; plan {Plan} ms, items {Items} ms, compose+seal {Seal} ms, write transaction {Write} ms, swap {Swap} ms; the process was paused for garbage collection {Paused} ms of it.",
            publication.Snapshot.Id, publication.Entries.Count, publication.Changes.Count, planned, rendered - planned, sealedAt - rendered, committed - sealedAt, clockwork.ElapsedMilliseconds - committed,
            (long)(GC.GetTotalPauseDuration() - paused).TotalMilliseconds);
}
