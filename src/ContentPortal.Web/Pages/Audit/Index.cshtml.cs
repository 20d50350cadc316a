using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Feed;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContentPortal.Web.Pages.Audit;

/// <summary>
/// The audit trail for admins and reviewers (folder convention "AuditReader"): filter, export, verify.
/// Read-only: there is no handler that changes or deletes an entry, and the DbContext refuses it anyway.
/// </summary>
public class IndexModel(PortalDbContext db, ContentPortal.Web.Auditing.AuditAnchor anchor) : PageModel
{
    private const int PageSize = 200;

    /// <summary>Longer than any actor name, action or subject the portal writes.</summary>
    public const int FilterMaxLength = 256;

    private const string TooLong = "At most 256 characters.";

    [BindProperty(SupportsGet = true)]
    [StringLength(FilterMaxLength, ErrorMessage = TooLong)]
    public string? Who { get; set; }

    [BindProperty(SupportsGet = true)]
    [StringLength(FilterMaxLength, ErrorMessage = TooLong)]
    public string? Action { get; set; }

    [BindProperty(SupportsGet = true)]
    [StringLength(FilterMaxLength, ErrorMessage = TooLong)]
    public string? Subject { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public IReadOnlyList<string> Actions { get; private set; } = [];

    public int Total { get; private set; }

    public ContentPortal.Web.Auditing.AuditReport? VerifyResult { get; private set; }

    /// <summary>Why the portal stopped signing the chain (shown to administrators), or null.</summary>
    public string? SigningHalted => User.IsInRole(Roles.Admin) ? anchor.Halted : null;

    /// <summary>Set when a stored row cannot be read: the list shows what it can and points to Verify.</summary>
    public string? ReadProblem { get; private set; }

    public Dictionary<string, string> FilterRoute => new()
    {
        ["Who"] = Who ?? "",
        ["Action"] = Action ?? "",
        ["Subject"] = Subject ?? "",
        ["From"] = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
        ["To"] = To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
    };

    public async Task OnGetAsync()
    {
        // An unusable filter is shown at its field and matches nothing, rather than being dropped silently.
        var query = ModelState.IsValid ? Filtered() : db.AuditTrail.Where(e => false);
        Total = await query.CountAsync();
        Actions = await db.AuditTrail.Select(e => e.Action).Distinct().OrderBy(a => a).ToListAsync();
        try
        {
            Entries = await query.OrderByDescending(e => e.Sequence).Take(PageSize).ToListAsync();
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or InvalidOperationException)
        {
            ReadProblem = Unreadable;
        }
    }

    private const string Unreadable = "A stored audit row cannot be read (a value in it no longer parses). Run Verify to see which; the rows that can be read are not shown here.";

    /// <summary>Checks the whole chain, oldest first, and names the first entry that does not fit.</summary>
    public async Task<IActionResult> OnGetVerifyAsync()
    {
        VerifyResult = await anchor.VerifyAsync(db, HttpContext.RequestAborted);
        if (Request.IsHtmx())
        {
            return Partial("_VerifyResult", VerifyResult);
        }

        await OnGetAsync();
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync()
    {
        if (await ExportableAsync() is { } problem)
        {
            return problem;
        }

        var csv = new StringBuilder("sequence,at_utc,actor_id,actor_name,action,subject,details,previous_hash,hash\n");
        foreach (var e in await Filtered().OrderBy(e => e.Sequence).ToListAsync())
        {
            csv.AppendJoin(',', e.Sequence.ToString(CultureInfo.InvariantCulture), Iso(e.At), Csv(e.ActorId), Csv(e.ActorName), Csv(e.Action), Csv(e.Subject), Csv(e.Details), e.PreviousHash, e.Hash).Append('\n');
        }

        return File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", "audit-trail.csv");
    }

    public async Task<IActionResult> OnGetJsonAsync()
    {
        if (await ExportableAsync() is { } problem)
        {
            return problem;
        }

        var entries = await Filtered().OrderBy(e => e.Sequence).ToListAsync();
        var json = JsonSerializer.SerializeToUtf8Bytes(entries.Select(e => new
        {
            e.Sequence,
            At = Iso(e.At),
            e.ActorId,
            e.ActorName,
            e.Action,
            e.Subject,
            e.Details,
            e.PreviousHash,
            e.Hash,
        }), FeedBuilder.Json);
        return File(json, "application/json", "audit-trail.json");
    }

    /// <summary>An export of a trail with an unreadable row would be silently short: say so instead (409).</summary>
    private async Task<IActionResult?> ExportableAsync()
    {
        if (!ModelState.IsValid)
        {
            return new ObjectResult(new ValidationProblemDetails(ModelState) { Status = StatusCodes.Status400BadRequest })
            { StatusCode = StatusCodes.Status400BadRequest, ContentTypes = { "application/problem+json" } };
        }

        var (_, unreadable) = await ContentPortal.Web.Auditing.AuditAnchor.ReadRowsAsync(db, HttpContext.RequestAborted);
        return unreadable.Count == 0 ? null : new ObjectResult(new ProblemDetails
        {
            Title = "The audit trail has unreadable rows",
            Detail = string.Join(" ", unreadable.Select(u => u.Problem)),
            Status = StatusCodes.Status409Conflict,
        })
        { StatusCode = StatusCodes.Status409Conflict, ContentTypes = { "application/problem+json" } };
    }

    private IQueryable<AuditEntry> Filtered()
    {
        var query = db.AuditTrail.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Who))
        {
            query = query.Where(e => e.ActorName.Contains(Who.Trim()) || e.ActorId == Who.Trim());
        }

        if (!string.IsNullOrWhiteSpace(Action))
        {
            query = query.Where(e => e.Action == Action);
        }

        if (!string.IsNullOrWhiteSpace(Subject))
        {
            query = query.Where(e => e.Subject.Contains(Subject.Trim()));
        }

        if (From is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(e => e.At >= start);
        }

        // The last day of the calendar has no day after it: no upper bound then.
        if (To is { } to && to < DateOnly.MaxValue)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(e => e.At < end);
        }

        return query;
    }

    private static string Iso(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    // Quotes every text field; a leading = + - @ is prefixed so spreadsheets don't run it as a formula.
    private static string Csv(string value)
    {
        var safe = value.Length > 0 && "=+-@".Contains(value[0]) ? "'" + value : value;
        return "\"" + safe.Replace("\"", "\"\"") + "\"";
    }

}
