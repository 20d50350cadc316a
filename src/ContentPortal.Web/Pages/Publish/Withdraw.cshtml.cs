using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Publish;

/// <summary>
/// Withdraw on a date: set (with a reason) or cancel the withdrawal of a published document. Publishers
/// only (folder convention). The scheduler runs it when due (<see cref="Publishing.Publisher.RunWithdrawalAsync"/>).
/// </summary>
public class WithdrawModel(PortalDbContext db, TimeProvider clock) : PageModel
{
    public Document Document { get; private set; } = null!;

    /// <summary>The local date and time typed in the browser (datetime-local).</summary>
    [BindProperty]
    public string? WithdrawOn { get; set; }

    /// <summary>Minutes to add to the local time to get UTC (JS getTimezoneOffset); empty without JavaScript, then the time is UTC.</summary>
    [BindProperty]
    public int? TimezoneOffset { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id) =>
        await LoadAsync(id) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        DateTime? dueAt = LocalTimeInput.TryReadUtc(WithdrawOn, TimezoneOffset, out var utc) ? utc : null;
        if (dueAt is null && !string.IsNullOrWhiteSpace(WithdrawOn))
        {
            ModelState.AddModelError(nameof(WithdrawOn), "Enter the date and time as the date picker gives it.");
            foreach (var (field, problem) in Withdrawal.Problems(now.AddDays(1), Reason, now))
            {
                ModelState.AddModelError(field, problem);
            }

            return Page();
        }

        Withdrawal? withdrawal = null;
        if (await this.TryAsync(async () =>
            {
                var pending = await PendingAsync(id);
                withdrawal = Withdrawal.Set(Document, pending, User.ToActor(), now, dueAt, Reason);
                db.Withdrawals.Add(withdrawal);
                await db.SaveChangesAsync();
            }))
        {
            Message = $"\u201c{withdrawal!.Title}\u201d will be withdrawn at the time shown below (your local time), unless you cancel it before then.";
            return RedirectToPage("/Content/Details", new { id });
        }

        return Page();
    }

    public async Task<IActionResult> OnPostCancelAsync(Guid id)
    {
        var withdrawal = await PendingAsync(id);
        Message = await this.TryAsync(async () =>
            {
                (withdrawal ?? throw new RefusedException("There is no withdrawal waiting for this document (it ran or was cancelled).")).Cancel(User.ToActor(), clock.GetUtcNow().UtcDateTime);
                await db.SaveChangesAsync();
            })
            ? $"The withdrawal was {(withdrawal!.Outcome!.StartsWith("Declined", StringComparison.Ordinal) ? "declined" : "cancelled")}; the document stays published."
            : ModelState.Messages();
        return RedirectToPage("/Content/Details", new { id });
    }

    /// <summary>A reviewer's proposal (periodic review, Withdraw): from now it runs at its time, as this publisher.</summary>
    public async Task<IActionResult> OnPostConfirmAsync(Guid id)
    {
        var withdrawal = await PendingAsync(id);
        Message = await this.TryAsync(async () =>
            {
                (withdrawal ?? throw new RefusedException("There is no proposed withdrawal for this document (it was declined or confirmed).")).Confirm(User.ToActor(), clock.GetUtcNow().UtcDateTime);
                await db.SaveChangesAsync();
            })
            ? $"Confirmed: \u201c{withdrawal!.Title}\u201d will be withdrawn at the time shown below (your local time), unless you cancel it before then."
            : ModelState.Messages();
        return RedirectToPage("/Content/Details", new { id });
    }

    /// <summary>The document's open withdrawal (set or proposed), if any: there is one at most.</summary>
    private Task<Withdrawal?> PendingAsync(Guid documentId) =>
        db.Withdrawals.FirstOrDefaultAsync(w => w.DocumentId == documentId && (w.Status == WithdrawalStatus.Pending || w.Status == WithdrawalStatus.Proposed));

    private async Task<bool> LoadAsync(Guid id)
    {
        Document = (await db.Documents.FirstOrDefaultAsync(d => d.Id == id))!;
        return Document is not null;
    }
}
