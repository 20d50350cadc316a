using System.Security.Cryptography;
using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Infrastructure;
using ContentPortal.Web.Webhooks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Admin;

/// <summary>Webhook subscriptions and their deliveries (every attempt), with Redeliver. Admins only (folder convention).</summary>
public class WebhooksModel(PortalDbContext db, WebhookOutbox outbox, TimeProvider clock) : PageModel
{
    public IReadOnlyList<WebhookSubscription> Subscriptions { get; private set; } = [];

    public IReadOnlyList<WebhookDelivery> Deliveries { get; private set; } = [];

    [BindProperty]
    public string? SubscriberUrl { get; set; }

    /// <summary>Optional: left empty, a random one is made and shown once.</summary>
    [BindProperty]
    public string? Secret { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var secret = string.IsNullOrWhiteSpace(Secret) ? "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)) : Secret;
        try
        {
            var subscription = WebhookSubscription.Create(SubscriberUrl, secret, User.ToActor(), clock.GetUtcNow().UtcDateTime);
            db.WebhookSubscriptions.Add(subscription);
            // The secret is never written to the audit trail.
            db.Record(AuditRecord.By(User.ToActor(), clock.GetUtcNow().UtcDateTime, "webhook.subscribed", $"webhook:{subscription.Id}", $"Subscribed {subscription.Url}"));
            await db.SaveChangesAsync();
            Message = $"Subscribed {subscription.Url}. Its secret is {subscription.Secret} — give it to the subscriber to check signatures.";
            return RedirectToPage();
        }
        catch (InvalidContentException invalid)
        {
            // The domain names the field "Url"; the form's field is SubscriberUrl.
            foreach (var (field, message) in invalid.Errors)
            {
                ModelState.AddModelError(field == "Url" ? nameof(SubscriberUrl) : field, message);
            }
        }

        await LoadAsync();
        return Page();
    }

    public Task<IActionResult> OnPostPauseAsync(Guid id) => SetActiveAsync(id, false);

    public Task<IActionResult> OnPostResumeAsync(Guid id) => SetActiveAsync(id, true);

    public async Task<IActionResult> OnPostRedeliverAsync(Guid deliveryId)
    {
        var delivery = await db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deliveryId);
        if (delivery is null)
        {
            return NotFound();
        }

        try
        {
            db.WebhookDeliveries.Add(delivery.Redeliver(User.ToActor(), clock.GetUtcNow().UtcDateTime));
            db.Record(AuditRecord.By(User.ToActor(), clock.GetUtcNow().UtcDateTime, "webhook.redelivered", $"webhook:{delivery.SubscriptionId}", $"Redelivery of snapshot {delivery.SnapshotId} requested"));
            await db.SaveChangesAsync();
            outbox.Wake();
            Message = $"Snapshot {delivery.SnapshotId} will be delivered again in a moment.";
        }
        catch (RefusedException refused)
        {
            Message = refused.Message;
        }

        return RedirectToPage();
    }

    private async Task<IActionResult> SetActiveAsync(Guid id, bool active)
    {
        var subscription = await db.WebhookSubscriptions.FirstOrDefaultAsync(s => s.Id == id);
        if (subscription is null)
        {
            return NotFound();
        }

        try
        {
            subscription.SetActive(active, User.ToActor());
            db.Record(AuditRecord.By(User.ToActor(), clock.GetUtcNow().UtcDateTime, active ? "webhook.resumed" : "webhook.paused", $"webhook:{subscription.Id}", $"{(active ? "Resumed" : "Paused")} {subscription.Url}"));
            await db.SaveChangesAsync();
            Message = active ? $"{subscription.Url} gets new publishes again." : $"{subscription.Url} is paused: new publishes are not sent to it.";
        }
        catch (RefusedException refused)
        {
            Message = refused.Message;
        }

        return RedirectToPage();
    }

    private async Task LoadAsync()
    {
        Subscriptions = await db.WebhookSubscriptions.AsNoTracking().OrderBy(s => s.CreatedAt).ToListAsync();
        Deliveries = await db.WebhookDeliveries.AsNoTracking().OrderByDescending(d => d.CreatedAt).Take(50).ToListAsync();
    }

    public string UrlOf(Guid subscriptionId) => Subscriptions.FirstOrDefault(s => s.Id == subscriptionId)?.Url ?? "(removed)";
}
