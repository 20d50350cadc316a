using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Publishing;
using ContentPortal.Web.Infrastructure;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Publish;

/// <summary>
/// What the next snapshot would change, Publish now or at a time, scheduled publishes, retired
/// documents and the snapshot history. Publishers only (folder convention), htmx handlers included.
/// </summary>
public class IndexModel(PortalDbContext db, Publisher publisher, TimeProvider clock) : PageModel
{
    public PublishPreview Plan { get; private set; } = null!;

    public IReadOnlyList<SnapshotRow> Snapshots { get; private set; } = [];

    public IReadOnlyList<ScheduledPublish> Schedules { get; private set; } = [];

    public IReadOnlyList<RetiredRow> Retired { get; private set; } = [];

    /// <summary>Withdrawals waiting, then the latest that ran or were cancelled.</summary>
    public IReadOnlyList<Withdrawal> Withdrawals { get; private set; } = [];

    public DateTime Now { get; } = clock.GetUtcNow().UtcDateTime;

    [BindProperty]
    public string? Note { get; set; }

    /// <summary>The plan the publisher was shown (<see cref="PublishPreview.Fingerprint"/>).</summary>
    [BindProperty]
    [System.ComponentModel.DataAnnotations.StringLength(64)]
    public string? ShownPlan { get; set; }

    /// <summary>The local date and time typed in the browser (datetime-local).</summary>
    [BindProperty]
    public string? PublishAt { get; set; }

    /// <summary>Minutes to add to the local time to get UTC (JS getTimezoneOffset); empty without JavaScript, then the time is UTC.</summary>
    [BindProperty]
    public int? TimezoneOffset { get; set; }

    [TempData]
    public string? Message { get; set; }

    /// <summary>Set for an htmx answer: the panel brings the navigation along (out of band) with fresh counts.</summary>
    public bool NavOutOfBand { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public Task<IActionResult> OnPostAsync() => ActAsync(async () =>
    {
        var snapshot = await publisher.PublishShownAsync(User.ToActor(), Note, ShownPlan);
        return $"Published snapshot {snapshot.Id}. The feed now serves it.";
    });

    public Task<IActionResult> OnPostScheduleAsync() => ActAsync(async () =>
    {
        if (!TryReadDueAt(out var dueAt))
        {
            ModelState.AddModelError(nameof(PublishAt), "Enter the date and time to publish at.");
            if (Snapshot.NoteProblem(Note) is { } noteProblem)
            {
                ModelState.AddModelError(nameof(Note), noteProblem);
            }

            return null;
        }

        var schedule = await publisher.ScheduleShownAsync(User.ToActor(), dueAt, Note, ShownPlan);
        return $"Scheduled: {schedule.Entries.Count} documents will be published at {schedule.DueAt:yyyy-MM-dd HH:mm} UTC, if nothing changes before then.";
    });

    public Task<IActionResult> OnPostCancelAsync(Guid scheduleId) => ActAsync(async () =>
    {
        var schedule = await db.ScheduledPublishes.FirstOrDefaultAsync(s => s.Id == scheduleId)
            ?? throw new RefusedException("That scheduled publish no longer exists.");
        schedule.Cancel(User.ToActor(), clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync();
        return "The scheduled publish was cancelled.";
    });

    /// <summary>Runs an action; refusals land next to their field (or at the top); PRG without htmx.</summary>
    private async Task<IActionResult> ActAsync(Func<Task<string?>> action)
    {
        string? message = null;
        if (await this.TryAsync(async () => message = await action()) && message is not null)
        {
            Message = message;
            Note = null;
            PublishAt = null;
            ModelState.Clear();
        }

        if (!Request.IsHtmx() && ModelState.IsValid)
        {
            return RedirectToPage(); // post/redirect/get: a reload never publishes twice.
        }

        db.ChangeTracker.Clear();
        await LoadAsync();
        if (Request.IsHtmx())
        {
            // Shown in this fragment already; TempData would show it again on the next full page.
            TempData.Remove(nameof(Message));
            // A publish changes the navigation's counts: send the nav along, out of band.
            NavOutOfBand = true;
            return Partial("_PublishPanel", this);
        }

        return Page();
    }

    private bool TryReadDueAt(out DateTime dueAt) => LocalTimeInput.TryReadUtc(PublishAt, TimezoneOffset, out dueAt);

    private async Task LoadAsync()
    {
        Plan = await publisher.PreviewAsync();
        Snapshots = await db.Snapshots.AsNoTracking()
            .OrderByDescending(s => s.Id)
            .Take(50)
            .Select(s => new SnapshotRow(s.Id, s.PublishedAt, s.PublishedByName, s.Note, s.DocumentCount, s.RepublishedFromId))
            .ToListAsync();
        Schedules = await db.ScheduledPublishes.AsNoTracking()
            .OrderByDescending(s => s.Status == ScheduleStatus.Pending).ThenByDescending(s => s.DueAt)
            .Take(20)
            .ToListAsync();
        Withdrawals = await db.Withdrawals.AsNoTracking()
            .OrderByDescending(w => (w.Status == WithdrawalStatus.Pending || w.Status == WithdrawalStatus.Proposed)).ThenByDescending(w => w.DueAt)
            .Take(20)
            .ToListAsync();
        Retired = (await db.Documents.AsNoTracking().Where(d => d.RetiredAt != null)
                .Select(d => new RetiredRow(d.Id, d.LatestTitle, d.RetiredAt!.Value, d.RetiredByName ?? "")).ToListAsync())
            .OrderBy(r => r.Title, StringComparer.CurrentCulture)
            .ToList();
    }

    public sealed record SnapshotRow(int Id, DateTime PublishedAt, string PublishedBy, string Note, int Documents, int? RepublishedFrom);

    public sealed record RetiredRow(Guid Id, string Title, DateTime RetiredAt, string RetiredBy);
}
