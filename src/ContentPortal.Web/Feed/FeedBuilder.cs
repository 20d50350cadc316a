using System.Text.Encodings.Web;
using System.Text.Json;
using ContentPortal.Domain;
using ContentPortal.Web.Infrastructure;

namespace ContentPortal.Web.Feed;

/// <summary>Turns a snapshot and the versions it names into the feed bytes, once, at publish.</summary>
public static class FeedBuilder
{
    public const int SchemaVersion = 1;

    public const string ArticleKind = "article";

    public const string RedFlagListKind = "redFlagList";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // Keep text readable for consumers (no \u escapes for apostrophes); still safe as JSON.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Build(Snapshot snapshot, IReadOnlyDictionary<Guid, DocumentVersion> versions)
    {
        var entries = snapshot.Entries.Select(e => (Entry: e, Version: versions[e.VersionId])).ToList();
        // Evidence checks live on the versions they were signed on; a reference's last check may be on an earlier one.
        var byDocument = versions.Values.ToLookup(v => v.DocumentId);
        var feed = new FeedDocument(
            SchemaVersion,
            new FeedSnapshot(snapshot.Id, snapshot.PublishedAt, snapshot.PublishedByName, snapshot.Note, snapshot.RepublishedFromId),
            entries.Where(x => x.Entry.Kind == DocumentKind.Article)
                .Select(x => Common(new FeedArticle
                {
                    BodyMarkdown = x.Version.BodyMarkdown,
                    BodyHtml = Markdown.ToSafeHtml(x.Version.BodyMarkdown),
                    Sections = Sections.Split(x.Version.BodyMarkdown),
                }, ArticleKind, x.Entry, x.Version, byDocument[x.Version.DocumentId]))
                .ToList(),
            entries.Where(x => x.Entry.Kind == DocumentKind.RedFlagList)
                .Select(x => Common(new FeedRedFlagList
                {
                    Flags = x.Version.Flags.OrderBy(f => f.Position)
                        .Select(f => new FeedRedFlag(f.Symptom, f.Advice, f.Urgency.ToString().ToLowerInvariant()))
                        .ToList(),
                }, RedFlagListKind, x.Entry, x.Version, byDocument[x.Version.DocumentId]))
                .ToList());
        return JsonSerializer.SerializeToUtf8Bytes(feed, Json);
    }

    /// <summary>The fields every item has. A new common field is one line here (plus its property on FeedItem).</summary>
    private static T Common<T>(T item, string kind, SnapshotEntry entry, DocumentVersion version, IEnumerable<DocumentVersion> documentVersions)
        where T : FeedItem
    {
        item.Id = entry.DocumentId;
        item.Kind = kind;
        item.Slug = entry.Slug;
        item.Version = version.Number;
        item.Title = version.Title;
        item.Summary = version.Summary;
        item.ApprovedAt = version.ApprovedAt!.Value;
        item.ContentHash = version.ContentHash!;
        item.ChangeNote = version.ChangeNote;
        item.LastReviewed = version.LastReviewed;
        item.ReviewDue = version.ReviewDue;
        item.Approvals = version.Approvals.OrderBy(a => a.SignedAt).Select(a => new FeedApproval(a.SignerName, a.SignerRole, a.SignedAt, a.Meaning, a.ReadabilityReason)).ToList();
        item.References = ClinicalQuality.EvidenceOf(documentVersions, version)
            .Select(c => new FeedReference(c.Reference.Source, c.Reference.Link, c.Reference.Section, c.LastRechecked?.CheckedAt, c.LastRechecked?.CheckedByName))
            .ToList();
        var r = ClinicalQuality.Measure(version);
        item.Readability = new FeedReadability(r.Smog, r.FleschKincaidGrade, r.FleschReadingEase, r.ReadingAge, r.Words, r.Sentences, r.Polysyllables);
        return item;
    }
}
