using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ContentPortal.Domain;
using ContentPortal.Web.Infrastructure;

namespace ContentPortal.Web.Feed;

/// <summary>
/// The feed's bytes. <see cref="RenderItem"/> is the one function from an approved version to its feed
/// item (JSON, sanitized HTML, sections): rendered once per version and stored as a <see cref="Rendition"/>.
/// <see cref="Assemble"/> joins a snapshot's header and its items' stored bytes into the whole feed, byte
/// for byte what serializing <see cref="FeedDocument"/> gives (the items are serialized the same way alone).
/// </summary>
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

    public static string KindName(DocumentKind kind) => kind == DocumentKind.Article ? ArticleKind : RedFlagListKind;

    /// <summary>
    /// One version's feed item. Everything an item says comes from here: a new field is a property on
    /// <see cref="FeedItem"/> (or the kind's class) and a line below.
    /// <paramref name="documentVersions"/>: the document's versions up to this one (a reference's last
    /// evidence check may be on an earlier version; later ones never change what this item says).
    /// </summary>
    public static byte[] RenderItem(Guid documentId, string slug, DocumentVersion version, IEnumerable<DocumentVersion> documentVersions)
    {
        FeedItem item = version.Kind == DocumentKind.Article
            ? new FeedArticle
            {
                BodyMarkdown = version.BodyMarkdown,
                BodyHtml = Markdown.ToSafeHtml(version.BodyMarkdown),
                Sections = Sections.Split(version.BodyMarkdown),
            }
            : new FeedRedFlagList
            {
                Flags = version.Flags.OrderBy(f => f.Position)
                    .Select(f => new FeedRedFlag(f.Symptom, f.Advice, f.Urgency.ToString().ToLowerInvariant()) { Codes = FeedCode.Of(f.Codes) })
                    .ToList(),
            };
        item.Id = documentId;
        item.Kind = KindName(version.Kind);
        item.Slug = slug;
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
        item.Codes = FeedCode.Of(version.Codes);
        var r = ClinicalQuality.Measure(version);
        item.Readability = new FeedReadability(r.Smog, r.FleschKincaidGrade, r.FleschReadingEase, r.ReadingAge, r.Words, r.Sentences, r.Polysyllables);
        // Serialized as its own class, exactly as it appears inside the feed's typed lists.
        return item is FeedArticle article
            ? JsonSerializer.SerializeToUtf8Bytes(article, Json)
            : JsonSerializer.SerializeToUtf8Bytes((FeedRedFlagList)item, Json);
    }

    /// <summary>Builds the whole feed from versions (rendering every item): for tests and one-off tools.</summary>
    public static byte[] Build(Snapshot snapshot, IReadOnlyDictionary<Guid, DocumentVersion> versions)
    {
        var byDocument = versions.Values.ToLookup(v => v.DocumentId);
        return Assemble(snapshot, snapshot.Entries.Select(e => new FeedPart(e, RenderItem(e.DocumentId, e.Slug, versions[e.VersionId], byDocument[e.DocumentId]))).ToList()).Json;
    }

    /// <summary>
    /// The whole feed from the header and each entry's item bytes: articles then red-flag lists, each in
    /// slug order (the plan's order). Also says where each item sits, so the current feed serves items
    /// as slices of the one array instead of copies.
    /// </summary>
    public static AssembledFeed Assemble(Snapshot snapshot, IReadOnlyList<FeedPart> parts)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(
            new FeedSnapshot(snapshot.Id, snapshot.PublishedAt, snapshot.PublishedByName, snapshot.Note, snapshot.RepublishedFromId,
                snapshot.AuditHeadSequence is { } sequence ? new FeedAuditHead(sequence, snapshot.AuditHeadHash!) : null), Json);
        var ordered = parts.OrderBy(p => p.Entry.Kind).ThenBy(p => p.Entry.Slug, StringComparer.Ordinal).ToList();
        var articles = ordered.Count(p => p.Entry.Kind == DocumentKind.Article);
        var commas = Math.Max(0, articles - 1) + Math.Max(0, ordered.Count - articles - 1);
        var length = Prefix.Length + header.Length + ArticlesStart.Length + ListsStart.Length + End.Length + commas
            + ordered.Sum(p => (long)p.Item.Length);
        var json = new byte[length];
        var slices = new List<AssembledItem>(ordered.Count);
        var at = 0;
        Write(Prefix);
        Write(header);
        Write(ArticlesStart);
        WriteItems(DocumentKind.Article);
        Write(ListsStart);
        WriteItems(DocumentKind.RedFlagList);
        Write(End);
        return new AssembledFeed(json, slices);

        void Write(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(json.AsSpan(at));
            at += bytes.Length;
        }

        void WriteItems(DocumentKind kind)
        {
            var first = true;
            foreach (var part in ordered.Where(p => p.Entry.Kind == kind))
            {
                if (!first)
                {
                    Write(","u8);
                }

                first = false;
                slices.Add(new AssembledItem(part.Entry, at, part.Item.Length));
                Write(part.Item.Span);
            }
        }
    }

    private static readonly byte[] Prefix = Encoding.UTF8.GetBytes($"{{\"schemaVersion\":{SchemaVersion},\"snapshot\":");
    private static readonly byte[] ArticlesStart = ",\"articles\":["u8.ToArray();
    private static readonly byte[] ListsStart = "],\"redFlagLists\":["u8.ToArray();
    private static readonly byte[] End = "]}"u8.ToArray();
}

/// <summary>One entry of a snapshot and its item's bytes.</summary>
public readonly record struct FeedPart(SnapshotEntry Entry, ReadOnlyMemory<byte> Item);

/// <summary>Where an item sits inside an assembled feed.</summary>
public readonly record struct AssembledItem(SnapshotEntry Entry, int Offset, int Length);

public sealed record AssembledFeed(byte[] Json, IReadOnlyList<AssembledItem> Items);
