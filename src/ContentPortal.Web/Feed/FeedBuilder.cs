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
    /// <paramref name="reviewOverdue"/>: the item says its review is overdue (the overdue policy's flag).
    /// </summary>
    public static byte[] RenderItem(Guid documentId, string slug, DocumentVersion version, IEnumerable<DocumentVersion> documentVersions, bool reviewOverdue = false)
    {
        FeedItem item = version.Kind == DocumentKind.Article
            ? Article(version)
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
        // A periodic review still collecting signatures is not in force yet: its signatures appear once it completes.
        var pending = version.PeriodicRound();
        item.Approvals = version.Approvals.Except(pending).OrderBy(a => a.SignedAt).Select(a => new FeedApproval(a.SignerName, a.SignerRole, a.SignedAt, a.Meaning, a.ReadabilityReason, Approval.KindName(a.Kind))).ToList();
        item.References = ClinicalQuality.EvidenceOf(documentVersions, version)
            .Select(c => new FeedReference(c.Reference.Source, c.Reference.Link, c.Reference.Section, c.LastRechecked?.CheckedAt, c.LastRechecked?.CheckedByName))
            .ToList();
        item.Codes = FeedCode.Of(version.Codes);
        var r = ClinicalQuality.Measure(version);
        item.Readability = new FeedReadability(r.Smog, r.FleschKincaidGrade, r.FleschReadingEase, r.ReadingAge, r.Words, r.Sentences, r.Polysyllables);
        item.ReviewOverdue = reviewOverdue ? true : null;
        // Serialized as its own class, exactly as it appears inside the feed's typed lists.
        return item is FeedArticle article
            ? JsonSerializer.SerializeToUtf8Bytes(article, Json)
            : JsonSerializer.SerializeToUtf8Bytes((FeedRedFlagList)item, Json);
    }

    private static FeedArticle Article(DocumentVersion version)
    {
        var (html, sections) = Sections.Render(version.BodyMarkdown, version.Aspects);
        return new FeedArticle { BodyMarkdown = version.BodyMarkdown, BodyHtml = html, Sections = sections };
    }

    /// <summary>Builds the whole feed from versions (rendering every item): for tests and one-off tools.</summary>
    public static byte[] Build(Snapshot snapshot, IReadOnlyList<SnapshotEntry> manifest, IReadOnlyDictionary<Guid, DocumentVersion> versions)
    {
        var byDocument = versions.Values.ToLookup(v => v.DocumentId);
        return Compose(snapshot, manifest.Select(e => new ItemBytes(e, RenderItem(e.DocumentId, e.Slug, versions[e.VersionId], byDocument[e.DocumentId], e.ReviewOverdue))).ToList()).ToArray();
    }

    /// <summary>
    /// The whole feed from the header and each entry's item bytes: articles then red-flag lists, each in
    /// slug order (the plan's order). Nothing is copied: the feed is the list of its pieces, written to a
    /// response one after another, so a publish costs the items that changed, not a buffer of the corpus.
    /// </summary>
    /// <param name="snapshot">The header's source.</param>
    /// <param name="items">The items, in any order unless <paramref name="inPlanOrder"/>.</param>
    /// <param name="inPlanOrder">
    /// The items follow the entries of the plan being published, which are in feed order by construction
    /// (SnapshotPlan), so they are not checked again: a check compares every slug of the corpus.
    /// </param>
    public static ComposedFeed Compose(Snapshot snapshot, IReadOnlyList<ItemBytes> items, bool inPlanOrder = false)
    {
        // A publish hands the items over in the plan's order already: checked in one pass, sorted only if not.
        var ordered = inPlanOrder || SnapshotPlan.IsInFeedOrder(items, p => p.Entry) ? items : items.OrderBy(p => p.Entry, SnapshotPlan.FeedOrder).ToList();
        return new ComposedFeed(HeaderOf(snapshot), ordered);
    }

    /// <summary>
    /// The feed of a publish that edited <paramref name="previous"/>'s manifest: the runs of items it kept
    /// (<paramref name="fromBase"/>: item i is previous item fromBase[i], or -1) are copied from the previous
    /// feed's pieces and digests as blocks, so composing and sealing cost the change and the number of runs,
    /// not a pass over every item. Byte for byte what <see cref="Compose"/> gives for the same items.
    /// </summary>
    public static ComposedFeed ComposeEdit(Snapshot snapshot, ComposedFeed previous, IReadOnlyList<ItemBytes> items, IReadOnlyList<int> fromBase) =>
        ComposedFeed.Edit(HeaderOf(snapshot), previous, items, fromBase);

    private static byte[] HeaderOf(Snapshot snapshot) => JsonSerializer.SerializeToUtf8Bytes(
        new FeedSnapshot(snapshot.Id, snapshot.PublishedAt, snapshot.PublishedByName, snapshot.Note, snapshot.RepublishedFromId,
            FeedAuditHead.Of(snapshot)), Json);
}

/// <summary>
/// A feed as its pieces: the constant JSON around, the snapshot header, and each item's bytes, with
/// commas. <see cref="Identity"/> is what a response writes; <see cref="ToArray"/> joins them for the
/// few callers that need one array (past snapshots' cache, FHIR and schema.org conversions, tests).
/// </summary>
public sealed class ComposedFeed
{
    private static readonly byte[] Prefix = Encoding.UTF8.GetBytes($"{{\"schemaVersion\":{FeedBuilder.SchemaVersion},\"snapshot\":");
    private static readonly byte[] ArticlesStart = ",\"articles\":["u8.ToArray();
    private static readonly byte[] ListsStart = "],\"redFlagLists\":["u8.ToArray();
    private static readonly byte[] End = "]}"u8.ToArray();
    private static readonly byte[] Comma = ","u8.ToArray();

    private readonly byte[] header;

    // For each piece of Identity, the item it is (null: JSON around the items, or the header).
    private readonly ItemBytes?[] owners;

    // Identity's pieces, which an edit copies in blocks.
    private readonly ReadOnlyMemory<byte>[] pieceArray;

    // For each item, the index of its piece in Identity (what an edit copies runs by).
    private readonly int[] itemPieces;

    // Each item's kind letter and SHA-256 (33 bytes per item), what the validator hashes: made by the first
    // ComputeETag, or copied in runs from the feed this one edits.
    private byte[]? digests;

    internal ComposedFeed(byte[] header, IReadOnlyList<ItemBytes> itemsInFeedOrder)
        : this(header, itemsInFeedOrder, null, null)
    {
    }

    private ComposedFeed(byte[] header, IReadOnlyList<ItemBytes> itemsInFeedOrder, ComposedFeed? previous, IReadOnlyList<int>? fromBase)
    {
        this.header = header;
        Items = itemsInFeedOrder;
        var count = itemsInFeedOrder.Count;
        var pieces = new List<ReadOnlyMemory<byte>>(2 * count + 6) { Prefix, header, ArticlesStart };
        var owned = new List<ItemBytes?>(pieces.Capacity) { null, null, null };
        itemPieces = new int[count];
        var kind = DocumentKind.Article;
        var first = true;

        void Separate(DocumentKind next)
        {
            if (next != kind)
            {
                pieces.Add(ListsStart);
                owned.Add(null);
                kind = DocumentKind.RedFlagList;
                first = true;
            }

            if (!first)
            {
                pieces.Add(Comma);
                owned.Add(null);
            }

            first = false;
        }

        var copied = previous?.digests is not null ? new byte[count * DigestLine] : null;
        for (var i = 0; i < count; i++)
        {
            var from = fromBase?[i] ?? -1;
            if (previous is null || from < 0)
            {
                var item = itemsInFeedOrder[i];
                Separate(item.DocumentKind);
                itemPieces[i] = pieces.Count;
                pieces.Add(item.Json);
                owned.Add(item);
                if (copied is not null)
                {
                    WriteDigest(copied, i, item);
                }

                continue;
            }

            // A run of items that were next to each other before and still are: their pieces, with the
            // commas (and the start of the lists) between them, are a block of the previous feed's pieces.
            var last = i;
            while (last + 1 < count && fromBase![last + 1] == fromBase[last] + 1)
            {
                last++;
            }

            Separate(itemsInFeedOrder[i].DocumentKind);
            var start = previous.itemPieces[from];
            var end = previous.itemPieces[from + last - i];
            var at = pieces.Count - start;
            pieces.AddRange(new ArraySegment<ReadOnlyMemory<byte>>(previous.pieceArray, start, end - start + 1));
            owned.AddRange(new ArraySegment<ItemBytes?>(previous.owners, start, end - start + 1));
            for (var t = i; t <= last; t++)
            {
                itemPieces[t] = previous.itemPieces[fromBase![t]] + at;
            }

            if (copied is not null)
            {
                Buffer.BlockCopy(previous.digests!, from * DigestLine, copied, i * DigestLine, (last - i + 1) * DigestLine);
            }

            kind = itemsInFeedOrder[last].DocumentKind;
            i = last;
        }

        if (kind == DocumentKind.Article)
        {
            pieces.Add(ListsStart);
            owned.Add(null);
        }

        pieces.Add(End);
        owned.Add(null);
        pieceArray = pieces.ToArray();
        Identity = new Pieces(pieceArray);
        owners = owned.ToArray();
        digests = copied;
    }

    internal static ComposedFeed Edit(byte[] header, ComposedFeed previous, IReadOnlyList<ItemBytes> items, IReadOnlyList<int> fromBase) =>
        new(header, items, previous, fromBase);

    private const int DigestLine = 33;

    private static void WriteDigest(byte[] lines, int index, ItemBytes item)
    {
        lines[index * DigestLine] = item.DocumentKind == DocumentKind.Article ? (byte)'a' : (byte)'r';
        item.Digest.CopyTo(lines, index * DigestLine + 1);
    }

    /// <summary>The items in the feed's order.</summary>
    public IReadOnlyList<ItemBytes> Items { get; }

    /// <summary>The feed's bytes, as the pieces a response writes in order.</summary>
    public Pieces Identity { get; }

    public long Length => Identity.Length;

    /// <summary>
    /// The feed's strong validator without hashing the whole feed: SHA-256 over the header and each item's
    /// own SHA-256 (kept with the item, so only changed items are hashed) in the feed's layout. Different
    /// bytes give a different tag, the same bytes the same one.
    /// </summary>
    public string ComputeETag()
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        hash.AppendData("contentportal-feed-v1\n"u8);
        Span<byte> length = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(length, header.Length);
        hash.AppendData(length);
        hash.AppendData(header);
        // Each item's kind letter and digest, gathered and hashed in one call (a call per item costs more than
        // the hashing); kept, so the feed that edits this one copies them in runs.
        hash.AppendData(Digests());

        return Snapshot.StrongETagOfDigest(hash.GetHashAndReset());
    }

    /// <summary>
    /// Hashes every item now unless this feed has its digests already (a publish composes them; a feed loaded
    /// from the database at start-up does not): the next publish, which edits this feed, then copies them in
    /// runs instead of hashing the whole corpus (0.8 s at 100,000 documents) while the publisher waits.
    /// </summary>
    public void PrepareDigests() => Digests();

    private byte[] Digests()
    {
        // Two threads computing at once (a publish and the background) write the same bytes, so no lock.
        if (digests is { } known)
        {
            return known;
        }

        var lines = new byte[Items.Count * DigestLine];
        for (var i = 0; i < Items.Count; i++)
        {
            WriteDigest(lines, i, Items[i]);
        }

        digests = lines;
        return lines;
    }

    /// <summary>
    /// The gzip form, from each piece's own deflate stream (flushed, not finished) kept with the item:
    /// one gzip member whose data are those streams in order, then the trailer's CRC-32 and length. A
    /// publish compresses only the items that changed; decoders see an ordinary gzip response.
    /// </summary>
    public Pieces Gzip()
    {
        var crc = new System.IO.Hashing.Crc32();
        var pieces = new List<ReadOnlyMemory<byte>>(Identity.Count + 2) { GzipHeader };
        var at = 0;
        foreach (var piece in Identity)
        {
            crc.Append(piece.Span);
            pieces.Add(owners[at++] is { } item ? item.Deflated : DeflatedConstant(piece));
        }

        var trailer = new byte[10];
        trailer[0] = 0x03; // an empty final block with fixed codes ends the deflate data
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(2), crc.GetCurrentHashAsUInt32());
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(6), (uint)Length);
        pieces.Add(trailer);
        return new Pieces(pieces);
    }

    private ReadOnlyMemory<byte> DeflatedConstant(ReadOnlyMemory<byte> piece) =>
        piece.Equals(Comma) ? DeflatedComma
        : piece.Equals(Prefix) ? DeflatedPrefix
        : piece.Equals(ArticlesStart) ? DeflatedArticlesStart
        : piece.Equals(ListsStart) ? DeflatedListsStart
        : piece.Equals(End) ? DeflatedEnd
        : Deflate.Segment(piece.Span); // the header

    private static readonly byte[] GzipHeader = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    private static readonly byte[] DeflatedComma = Deflate.Segment(Comma);
    private static readonly byte[] DeflatedPrefix = Deflate.Segment(Prefix);
    private static readonly byte[] DeflatedArticlesStart = Deflate.Segment(ArticlesStart);
    private static readonly byte[] DeflatedListsStart = Deflate.Segment(ListsStart);
    private static readonly byte[] DeflatedEnd = Deflate.Segment(End);

    /// <summary>The feed as one array.</summary>
    public byte[] ToArray()
    {
        var json = new byte[Length];
        var at = 0;
        foreach (var piece in Identity)
        {
            piece.Span.CopyTo(json.AsSpan(at));
            at += piece.Length;
        }

        return json;
    }
}

/// <summary>A response body as pieces written one after another.</summary>
public sealed class Pieces(IReadOnlyList<ReadOnlyMemory<byte>> pieces) : IReadOnlyList<ReadOnlyMemory<byte>>
{
    public long Length { get; } = pieces.Sum(p => (long)p.Length);

    public int Count => pieces.Count;

    public ReadOnlyMemory<byte> this[int index] => pieces[index];

    public IEnumerator<ReadOnlyMemory<byte>> GetEnumerator() => pieces.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Raw deflate data that can be followed by more: flushed (byte-aligned), never finished.</summary>
public static class Deflate
{
    public static byte[] Segment(ReadOnlySpan<byte> bytes)
    {
        using var output = new MemoryStream(bytes.Length / 3 + 32);
        using var deflate = new System.IO.Compression.DeflateStream(output, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true);
        deflate.Write(bytes);
        // Flush is a sync flush: all input out, ending on a byte boundary, with no final block. The
        // segment is taken before disposing, which adds a final block (that comes once, at the very end).
        deflate.Flush();
        return output.ToArray();
    }
}

/// <summary>
/// One item of a feed: its manifest entry and its JSON, with its SHA-256 and deflate segment made once
/// (on first use) and kept while any feed holds the item, so an unchanged item costs nothing to publish again.
/// </summary>
public sealed class ItemBytes(SnapshotEntry entry, ReadOnlyMemory<byte> json)
{
    private byte[]? digest;
    private byte[]? deflated;

    public SnapshotEntry Entry { get; } = entry;

    /// <summary>The entry's kind, kept here: composing a feed and its validator read it for every item.</summary>
    public DocumentKind DocumentKind { get; } = entry.Kind;

    public ReadOnlyMemory<byte> Json { get; } = json;

    public Guid VersionId => Entry.VersionId;

    public string Slug => Entry.Slug;

    public string Kind => FeedBuilder.KindName(Entry.Kind);

    // Computing twice in a race gives the same bytes, so no lock.
    public byte[] Digest => digest ??= System.Security.Cryptography.SHA256.HashData(Json.Span);

    public byte[] Deflated => deflated ??= Deflate.Segment(Json.Span);
}
