using System.Text.Encodings.Web;
using System.Text.Json;
using ContentPortal.Domain;
using ContentPortal.Web.Infrastructure;

namespace ContentPortal.Web.Feed;

/// <summary>Turns a snapshot and the versions it names into the feed bytes, once, at publish.</summary>
public static class FeedBuilder
{
    public const int SchemaVersion = 1;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // Keep text readable for consumers (no \u escapes for apostrophes); still safe as JSON.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Build(Snapshot snapshot, IReadOnlyDictionary<Guid, DocumentVersion> versions)
    {
        var entries = snapshot.Entries.Select(e => (Entry: e, Version: versions[e.VersionId])).ToList();
        var feed = new FeedDocument(
            SchemaVersion,
            new FeedSnapshot(snapshot.Id, snapshot.PublishedAt, snapshot.PublishedByName, snapshot.Note),
            entries.Where(x => x.Entry.Kind == DocumentKind.Article)
                .Select(x => new FeedArticle(
                    x.Entry.DocumentId,
                    x.Entry.Slug,
                    x.Version.Number,
                    x.Version.Title,
                    x.Version.Summary,
                    x.Version.BodyMarkdown,
                    Markdown.ToSafeHtml(x.Version.BodyMarkdown),
                    x.Version.ApprovedAt!.Value,
                    x.Version.ContentHash!,
                    x.Version.LastReviewed,
                    x.Version.ReviewDue,
                    Approvals(x.Version)))
                .ToList(),
            entries.Where(x => x.Entry.Kind == DocumentKind.RedFlagList)
                .Select(x => new FeedRedFlagList(
                    x.Entry.DocumentId,
                    x.Entry.Slug,
                    x.Version.Number,
                    x.Version.Title,
                    x.Version.Summary,
                    x.Version.Flags.OrderBy(f => f.Position)
                        .Select(f => new FeedRedFlag(f.Symptom, f.Advice, f.Urgency.ToString().ToLowerInvariant()))
                        .ToList(),
                    x.Version.ApprovedAt!.Value,
                    x.Version.ContentHash!,
                    x.Version.LastReviewed,
                    x.Version.ReviewDue,
                    Approvals(x.Version)))
                .ToList());
        return JsonSerializer.SerializeToUtf8Bytes(feed, Json);
    }

    private static IReadOnlyList<FeedApproval> Approvals(DocumentVersion version) =>
        version.Approvals.OrderBy(a => a.SignedAt).Select(a => new FeedApproval(a.SignerName, a.SignerRole, a.SignedAt, a.Meaning)).ToList();
}
