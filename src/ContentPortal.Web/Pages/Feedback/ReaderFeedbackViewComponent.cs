using ContentPortal.Domain;
using ContentPortal.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Feedback;

/// <summary>
/// Reader feedback where editors work: the count of new feedback on the dashboard and a document's page, and a
/// document's open feedback listed on its review screen. Loads its own rows, so a page includes it with one line.
/// </summary>
public sealed class ReaderFeedbackViewComponent(PortalDbContext db) : ViewComponent
{
    public sealed record FeedbackView(Guid? DocumentId, int New, IReadOnlyList<ReaderFeedback> Open, bool List);

    /// <summary>All documents (the dashboard) or one; with <paramref name="list"/> the open feedback itself.</summary>
    public async Task<IViewComponentResult> InvokeAsync(Guid? documentId = null, bool list = false)
    {
        var open = db.ReaderFeedback.AsNoTracking().Where(f => f.Status == FeedbackStatus.New);
        if (documentId is { } id)
        {
            open = open.Where(f => f.DocumentId == id);
        }

        var count = await open.CountAsync();
        IReadOnlyList<ReaderFeedback> rows = list && count > 0
            ? await open.OrderByDescending(f => f.ReceivedAt).Take(20).ToListAsync()
            : [];
        return View("/Pages/Feedback/_ReaderFeedback.cshtml", new FeedbackView(documentId, count, rows, list));
    }
}
