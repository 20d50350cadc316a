using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using ContentPortal.Web.Webhooks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Admin;

/// <summary>Webhook subscriptions and their deliveries (every attempt), with Redeliver. Admins only (folder convention).</summary>
public class WebhooksModel(PortalDbContext db, WebhookOutbox outbox, WebhookTargets targets, TimeProvider clock) : PageModel
{
    public IReadOnlyList<WebhookSubscription> Subscriptions { get; private set; } = [];

    public IReadOnlyList<WebhookDelivery> Deliveries { get; private set; } = [];

    [BindProperty]
    public string? SubscriberUrl { get; set; }

    [TempData]
    public string? Message { get; set; }

    /// <summary>The new subscription's secret, shown once (in its own field with a Copy button) right after adding.</summary>
    [TempData]
    public string? NewSecret { get; set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        WebhookSubscription? subscription = null;
        if (await this.TryAsync(async () =>
            {
                // The portal makes the secret (Standard Webhooks form) and shows it once, below.
                subscription = WebhookSubscription.Create(SubscriberUrl, User.ToActor(), clock.GetUtcNow().UtcDateTime);
                if (await targets.ProblemAsync(subscription.Url, HttpContext.RequestAborted) is { } refused)
                {
                    throw new InvalidContentException(new Dictionary<string, string> { ["Url"] = refused });
                }

                db.WebhookSubscriptions.Add(subscription);
                await db.SaveChangesAsync();
            }))
        {
            Message = $"Subscribed {subscription!.Url}.";
            NewSecret = subscription.Secret;
            return RedirectToPage();
        }

        // The domain names the field "Url"; the form's field is SubscriberUrl.
        var urlErrors = ModelState.TryGetValue("Url", out var url) ? url.Errors.Select(e => e.ErrorMessage).ToList() : [];
        ModelState.Remove("Url"); // (clears the entry's errors, hence the copy above)
        urlErrors.ForEach(message => ModelState.AddModelError(nameof(SubscriberUrl), message));

        await LoadAsync();
        return Page();
    }

    public Task<IActionResult> OnPostPauseAsync(Guid id) => SetActiveAsync(id, false);

    public Task<IActionResult> OnPostResumeAsync(Guid id) => SetActiveAsync(id, true);

    public async Task<IActionResult> OnPostRedeliverAsync(Guid deliveryId) =>
        await this.ActAsync(await db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deliveryId), async delivery =>
        {
            db.WebhookDeliveries.Add(delivery.Redeliver(User.ToActor(), clock.GetUtcNow().UtcDateTime));
            await db.SaveChangesAsync();
            outbox.Wake();
            Message = $"Snapshot {delivery.SnapshotId} will be delivered again in a moment.";
            return RedirectToPage();
        }, RefusedAsync);

    private async Task<IActionResult> SetActiveAsync(Guid id, bool active) =>
        await this.ActAsync(await db.WebhookSubscriptions.FirstOrDefaultAsync(s => s.Id == id), async subscription =>
        {
            subscription.SetActive(active, User.ToActor(), clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
            Message = active ? $"{subscription.Url} gets new publishes again." : $"{subscription.Url} is paused: new publishes are not sent to it.";
            return RedirectToPage();
        }, RefusedAsync);

    /// <summary>A refused list action: back to the list, the refusal as its message.</summary>
    private Task<IActionResult> RefusedAsync(object _)
    {
        Message = ModelState.Messages();
        return Task.FromResult<IActionResult>(RedirectToPage());
    }

    private async Task LoadAsync()
    {
        Subscriptions = await db.WebhookSubscriptions.AsNoTracking().OrderBy(s => s.CreatedAt).ToListAsync();
        Deliveries = await db.WebhookDeliveries.AsNoTracking().OrderByDescending(d => d.CreatedAt).Take(50).ToListAsync();
    }

    public string UrlOf(Guid subscriptionId) => Subscriptions.FirstOrDefault(s => s.Id == subscriptionId)?.Url ?? "(removed)";
}
