using System.Globalization;
using System.Text.Json;
using ContentPortal.Domain;
using ContentPortal.Web.Data;
using ContentPortal.Web.Publishing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;
using static ContentPortal.Web.Feed.FeedEndpoints;
using static ContentPortal.Web.Feed.FeedHttp;

namespace ContentPortal.Web.Feed;

/// <summary>The feed API's answers (routes: <see cref="FeedEndpoints"/>): each is served from ready-made or cached bytes.</summary>
internal static class FeedHandlers
{
    public static Task<IResult> ItemAsync(HttpContext context, PublishedFeed published, string slug, DocumentKind kind, string what)
    {
        if (published.Current is not { } feed)
        {
            return Task.FromResult(NothingPublished(context));
        }

        // Only an article has sections to pick by health aspect.
        IReadOnlyList<HealthAspect>? aspects = null;
        if (kind == DocumentKind.Article && !Sections.TryAspects(context.Request.Query, out aspects, out var problem))
        {
            return Task.FromResult(BadRequest(context, problem!));
        }

        return NegotiatedAsync(
            context,
            feed,
            (current, representation) =>
            {
                if (current.Find(kind, slug) is not { } item)
                {
                    return null;
                }

                var (json, selection) = (current.Response(item), slug);
                if (aspects is not null)
                {
                    json = Sections.Only(current, json, slug, aspects, out selection);
                }

                return representation == Representation.Json ? json : FeedFormats.Item(current, json, FeedBuilder.KindName(kind), selection, representation, context);
            },
            current => NotFound(context, $"No such {what}", $"The current snapshot ({current.SnapshotId}) has no {what} \u201c{slug}\u201d."));
    }

    /// <summary>
    /// Our JSON or a rendition of it, as Accept or ?format= asks (see <see cref="Renditions"/>); <paramref name="bytesOf"/>
    /// picks them from a feed (null: not in it), caught up as <see cref="CurrentAsync"/> says.
    /// </summary>
    public static async Task<IResult> NegotiatedAsync(HttpContext context, CurrentFeed feed, Func<CurrentFeed, Representation, FeedBytes?> bytesOf, Func<CurrentFeed, IResult> missing)
    {
        if (FeedFormats.Choose(context, out var refusal) is not { } representation)
        {
            return refusal!;
        }

        var result = await CurrentAsync(context, feed, current => bytesOf(current, representation), missing, FeedFormats.ContentType(representation));
        context.Response.Headers.Vary = FeedFormats.Vary;
        return result;
    }

    /// <summary>
    /// Serves what <paramref name="bytesOf"/> picks from the current feed (null: <paramref name="missing"/>).
    /// Several instances: an If-None-Match this instance has not served may be a snapshot published elsewhere,
    /// so it catches up first and answers from that (a 304 or the newer bytes), never from an older snapshot
    /// than the consumer has seen.
    /// </summary>
    public static async Task<IResult> CurrentAsync(HttpContext context, CurrentFeed feed, Func<CurrentFeed, FeedBytes?> bytesOf, Func<CurrentFeed, IResult> missing, string contentType = "application/json; charset=utf-8")
    {
        var bytes = bytesOf(feed);
        var ifNoneMatch = context.Request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0 && (bytes is null || !Matches(ifNoneMatch, bytes))
            && context.RequestServices.GetService<FeedFollower>() is { } follower && follower.MayBeNewer(ifNoneMatch, feed))
        {
            try
            {
                feed = await follower.CatchUpForTagAsync(ifNoneMatch, bytesOf, context.RequestAborted) ?? feed;
            }
            catch (TimeoutException)
            {
                return CatchingUp(context);
            }
            catch (Exception exception) when (Infrastructure.Database.IsUnavailable(exception))
            {
                // Served from memory while the database is away (nothing can be published then).
            }

            bytes = bytesOf(feed);
        }

        return bytes is null ? missing(feed) : Serve(context, bytes, ShortCache, contentType);
    }

    public static async Task<IResult> SnapshotListAsync(HttpContext context, PublishedFeed published, PortalDbContext db)
    {
        if (published.Current is not { } feed)
        {
            return NothingPublished(context);
        }

        var query = context.Request.Query;
        if (!TryParseOptional(query["page"], 1, int.MaxValue, 1, out var page))
        {
            return BadRequest(context, "page must be a whole number from 1.");
        }

        if (!TryParseOptional(query["pageSize"], 1, MaxPageSize, 20, out var pageSize))
        {
            return BadRequest(context, $"pageSize must be a whole number from 1 to {MaxPageSize}.");
        }

        // The list only changes when a snapshot is published, so each page is built once per current snapshot.
        var key = $"snapshots:{page}:{pageSize}";
        if (!feed.Derived.TryGet(key, out var bytes))
        {
            var rows = await db.Snapshots.AsNoTracking()
                .Where(s => s.Id <= feed.SnapshotId)
                .OrderByDescending(s => s.Id)
                .Skip((int)Math.Min((long)(page - 1) * pageSize, int.MaxValue))
                .Take(pageSize)
                .Select(s => new { s.Id, s.PublishedAt, s.PublishedByName, s.Note, s.RepublishedFromId, Documents = s.DocumentCount })
                .ToListAsync(context.RequestAborted);
            var list = new FeedSnapshotList(
                page,
                pageSize,
                feed.SnapshotId,
                rows.Select(r => new FeedSnapshotListItem(r.Id, r.PublishedAt, r.PublishedByName, r.Note, r.RepublishedFromId, r.Documents, $"/api/v1/snapshots/{r.Id}")).ToList());
            bytes = feed.Derived.Add(key, new FeedBytes(JsonSerializer.SerializeToUtf8Bytes(list, FeedBuilder.Json), feed.PublishedAt));
        }

        return Serve(context, bytes, ShortCache);
    }

    /// <summary>
    /// A page of a snapshot's items, in the feed's order (articles, then red-flag lists, each by slug).
    /// The cursor is how many items come before the page; <c>next</c> links the following page.
    /// </summary>
    public static async Task<IResult> SnapshotItemsAsync(HttpContext context, string id, PublishedFeed published, PortalDbContext db)
    {
        if (!TryParseId(id, out var snapshotId))
        {
            return BadRequest(context, "The snapshot id must be a positive whole number.");
        }

        var query = context.Request.Query;
        if (!TryParseOptional(query["after"], 0, int.MaxValue, 0, out var after))
        {
            return BadRequest(context, "after must be the cursor of a next link: a whole number from 0.");
        }

        if (!TryParseOptional(query["limit"], 1, MaxItemsPageSize, 100, out var limit))
        {
            return BadRequest(context, $"limit must be a whole number from 1 to {MaxItemsPageSize}.");
        }

        if (await CatchUpAsync(context, published.Current, snapshotId) is IResult refusal)
        {
            return refusal;
        }

        var key = $"{snapshotId}:{after}:{limit}";
        if (!published.ItemPages.TryGet(key, out var bytes))
        {
            var header = await db.Snapshots.AsNoTracking().Where(s => s.Id == snapshotId)
                .Select(s => new { s.PublishedAt, s.DocumentCount })
                .FirstOrDefaultAsync(context.RequestAborted);
            if (header is null)
            {
                return NotFound(context, "No such snapshot", $"Snapshot {snapshotId} does not exist.");
            }

            var items = await published.ItemsAsync(snapshotId, after, limit, db, context.RequestAborted);
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = FeedBuilder.Json.Encoder }))
            {
                json.WriteStartObject();
                json.WriteNumber("snapshot", snapshotId);
                json.WriteNumber("total", header.DocumentCount);
                json.WriteNumber("after", after);
                json.WriteStartArray("items");
                foreach (var item in items)
                {
                    json.WriteRawValue(item.Span, skipInputValidation: true);
                }

                json.WriteEndArray();
                var next = (long)after + items.Count;
                if (items.Count == limit && next < header.DocumentCount)
                {
                    json.WriteString("next", $"/api/v1/snapshots/{snapshotId}/items?after={next}&limit={limit}");
                }
                else
                {
                    json.WriteNull("next");
                }

                json.WriteEndObject();
            }

            bytes = published.ItemPages.Add(key, new FeedBytes(buffer.ToArray(), header.PublishedAt));
        }

        return Serve(context, bytes, Immutable);
    }

    public static async Task<IResult> ChangesAsync(HttpContext context, PublishedFeed published, PortalDbContext db)
    {
        if (published.Current is not { } feed)
        {
            return NothingPublished(context);
        }

        var raw = context.Request.Query["since"];
        if (raw.Count != 1 || !int.TryParse(raw[0], NumberStyles.None, CultureInfo.InvariantCulture, out var since))
        {
            return BadRequest(context, "Give since=<snapshot id> as a whole number (0 for everything).");
        }

        // to=N (the webhook's changesUrl): the answer reaches at least snapshot N.
        var rawTo = context.Request.Query["to"];
        var to = 0;
        if (rawTo.Count > 0 && (rawTo.Count != 1 || !int.TryParse(rawTo[0], NumberStyles.None, CultureInfo.InvariantCulture, out to) || to < since))
        {
            return BadRequest(context, $"to must be a snapshot id from since ({since}) on.");
        }

        // Another instance may have published it a moment ago: catch up rather than answer older or 400.
        switch (await CatchUpAsync(context, feed, Math.Max(since, to)))
        {
            case IResult refusal:
                return refusal;
            case CurrentFeed newer:
                feed = newer;
                break;
        }

        if (since > feed.SnapshotId)
        {
            return BadRequest(context, $"since={since} is after the current snapshot {feed.SnapshotId}.");
        }

        if (to > feed.SnapshotId)
        {
            return NotFound(context, "No such snapshot", $"Snapshot {to} does not exist; the current snapshot is {feed.SnapshotId}.");
        }

        var key = $"changes:{since}";
        if (!feed.Derived.TryGet(key, out var bytes))
        {
            var before = since == 0
                ? []
                : await db.ManifestOf(since).Select(e => new { e.DocumentId, e.VersionId, e.Slug, e.Kind, e.PeriodicReviews, e.ReviewOverdue })
                    .ToDictionaryAsync(e => e.DocumentId, context.RequestAborted);
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = FeedBuilder.Json.Encoder }))
            {
                json.WriteStartObject();
                json.WriteNumber("from", since);
                json.WriteNumber("to", feed.SnapshotId);
                // The current feed holds its items in the feed's order already (articles, then red-flag lists, by slug).
                json.WriteStartArray("added");
                foreach (var item in feed.InFeedOrder.Where(i => !before.ContainsKey(i.Entry.DocumentId)))
                {
                    json.WriteRawValue(item.Json.Span, skipInputValidation: true);
                }

                json.WriteEndArray();
                json.WriteStartArray("changed");
                // A periodic review that kept the same version changed its item (dates, signatures), and so did the
                // overdue policy's flag (reviewOverdue): listed as changed.
                foreach (var item in feed.InFeedOrder.Where(i => before.TryGetValue(i.Entry.DocumentId, out var old)
                    && (old.VersionId != i.VersionId || old.PeriodicReviews != i.Entry.PeriodicReviews || old.ReviewOverdue != i.Entry.ReviewOverdue)))
                {
                    json.WriteRawValue(item.Json.Span, skipInputValidation: true);
                }

                json.WriteEndArray();
                json.WriteStartArray("removed");
                foreach (var old in before.Values.Where(o => !feed.Items.ContainsKey(o.DocumentId)).OrderBy(o => o.Slug, StringComparer.Ordinal))
                {
                    json.WriteStartObject();
                    json.WriteString("id", old.DocumentId);
                    json.WriteString("kind", FeedBuilder.KindName(old.Kind));
                    json.WriteString("slug", old.Slug);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            bytes = feed.Derived.Add(key, new FeedBytes(buffer.ToArray(), feed.PublishedAt));
        }

        return Serve(context, bytes, ShortCache);
    }

    /// <summary>
    /// Several instances (PostgreSQL): when <paramref name="snapshotId"/> is newer than <paramref name="feed"/>,
    /// loads the newest stored snapshot first (<see cref="FeedFollower.CatchUpToAsync"/>). Answers the feed to
    /// serve from (null: nothing newer was needed or stored), or a 503 when the catch-up took too long.
    /// </summary>
    public static async ValueTask<object?> CatchUpAsync(HttpContext context, CurrentFeed? feed, int snapshotId)
    {
        if (snapshotId <= (feed?.SnapshotId ?? 0) || context.RequestServices.GetService<FeedFollower>() is not { } follower)
        {
            return null;
        }

        try
        {
            return await follower.CatchUpToAsync(snapshotId, context.RequestAborted);
        }
        catch (TimeoutException)
        {
            return CatchingUp(context);
        }
    }

    /// <summary>503: this instance could not load a newer snapshot in time; it never answers with an older one.</summary>
    public static IResult CatchingUp(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.RetryAfter = "1";
        return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Catching up",
            detail: "This server is still loading a snapshot published a moment ago. Try again in a second.");
    }

    public static bool TryParseId(string text, out int id) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;

    private static bool TryParseOptional(StringValues raw, int min, int max, int fallback, out int value)
    {
        value = fallback;
        if (raw.Count == 0)
        {
            return true;
        }

        return raw.Count == 1 && int.TryParse(raw[0], NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }

    public static IResult NothingPublished(HttpContext context) =>
        NotFound(context, "Nothing has been published yet", "The feed appears once a publisher publishes the first snapshot.");

    public static IResult NotFound(HttpContext context, string title, string detail)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: title, detail: detail);
    }

    public static IResult BadRequest(HttpContext context, string detail)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail);
    }
}

public sealed record FeedSnapshotList(int Page, int PageSize, int Current, IReadOnlyList<FeedSnapshotListItem> Snapshots);

public sealed record FeedSnapshotListItem(int Id, DateTime PublishedAt, string PublishedBy, string Note, int? RepublishedFrom, int Documents, string Url);
