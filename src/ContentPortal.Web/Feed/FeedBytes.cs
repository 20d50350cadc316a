using System.IO.Compression;

namespace ContentPortal.Web.Feed;

/// <summary>
/// One immutable JSON response, with its gzip and Brotli forms and its validators, built once and then
/// served as is by every request (no serialization or compression per request). Either one array (an
/// item, a derived answer) or a <see cref="ComposedFeed"/>: a whole feed as its items' pieces, never
/// joined into one buffer; its gzip form is joined from the items' own deflate segments, and it offers
/// Brotli only up to <see cref="WholeBrotliLimit"/> bytes (Brotli cannot be joined from pieces, and
/// recompressing tens of megabytes at every publish would make a publish cost the corpus).
/// </summary>
public sealed class FeedBytes
{
    /// <summary>A composed feed up to this size also has a Brotli form, compressed whole.</summary>
    public const long WholeBrotliLimit = 8L * 1024 * 1024;

    private readonly Lazy<byte[]> gzip;
    private readonly Lazy<byte[]> brotli;
    private readonly Lazy<Pieces>? composedGzip;
    private readonly Lazy<(string Identity, string Gzip, string Brotli)> tags;
    private readonly DateTime lastModified;
    private readonly ReadOnlyMemory<byte> json;
    private string? lastModifiedText;

    /// <summary>A whole feed served from its pieces, with the validator its snapshot was sealed with.</summary>
    public FeedBytes(ComposedFeed composed, DateTime lastModified, string etag, long wholeBrotliLimit = WholeBrotliLimit)
        : this(ReadOnlyMemory<byte>.Empty, lastModified, etag)
    {
        Composed = composed;
        OffersBrotli = composed.Length <= wholeBrotliLimit;
        composedGzip = new Lazy<Pieces>(composed.Gzip);
        brotli = new Lazy<byte[]>(() => Compress(composed.Identity, s => new BrotliStream(s, CompressionLevel.Optimal)));
    }

    public FeedBytes(ReadOnlyMemory<byte> json, DateTime lastModified, string? etag = null)
    {
        this.json = json;
        this.lastModified = lastModified;
        // Strong validator of the identity bytes; the compressed forms are other representations with their own tags.
        // Hashed on first use: an item of a 10,000-document feed may never be asked for.
        tags = new Lazy<(string, string, string)>(() =>
        {
            var tag = (etag ?? Domain.Snapshot.StrongETag(json.Span)).Trim('"');
            return ($"\"{tag}\"", $"\"{tag}-gz\"", $"\"{tag}-br\"");
        });
        gzip = new Lazy<byte[]>(() => Compress(json, s => new GZipStream(s, CompressionLevel.Optimal)));
        brotli = new Lazy<byte[]>(() => Compress(json, s => new BrotliStream(s, CompressionLevel.Optimal)));
    }

    /// <summary>The identity bytes as one array (a composed feed is joined on each call: few callers need that).</summary>
    public ReadOnlyMemory<byte> Json => Composed is { } composed ? composed.ToArray() : json;

    /// <summary>Set for a whole feed kept as pieces.</summary>
    public ComposedFeed? Composed { get; }

    /// <summary>False for a composed feed above <see cref="WholeBrotliLimit"/>: gzip is offered instead.</summary>
    public bool OffersBrotli { get; } = true;

    public long Length => Composed?.Length ?? json.Length;

    /// <summary>The body for a content coding (null: identity), as pieces to write in order.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Body(string? encoding) => encoding switch
    {
        "br" => [brotli.Value],
        "gzip" => composedGzip is null ? [gzip.Value] : composedGzip.Value,
        _ => Composed is { } composed ? composed.Identity : [json],
    };

    public string ETag => tags.Value.Identity;

    private string? signature;

    /// <summary>
    /// The <c>Feed-Signature</c> (issue 25): a detached JWS over the identity bytes, made once for this
    /// rendition by its first answer and then sent as is (two first answers at once may both sign: either is valid).
    /// </summary>
    public string? Signature<TState>(TState state, Func<TState, IReadOnlyList<ReadOnlyMemory<byte>>, string?> sign) =>
        signature ??= sign(state, Body(null));

    public string GzipETag => tags.Value.Gzip;

    public string BrotliETag => tags.Value.Brotli;

    /// <summary>HTTP dates have whole seconds.</summary>
    public string LastModified => lastModifiedText ??=
        new DateTimeOffset(lastModified.Ticks - lastModified.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero).ToString("R");

    /// <summary>Bytes held (identity plus any compressed form made so far): what a bounded cache counts.</summary>
    public long Size => Length + (gzip.IsValueCreated ? gzip.Value.Length : 0) + (brotli.IsValueCreated ? brotli.Value.Length : 0)
        + (composedGzip is { IsValueCreated: true } ? composedGzip.Value.Length : 0);

    /// <summary>Builds both compressed forms now, so no request pays for them.</summary>
    public FeedBytes Precompress() => Precompress(() => true);

    /// <summary>Builds the compressed forms now, each only while <paramref name="stillWanted"/> says so.</summary>
    public FeedBytes Precompress(Func<bool> stillWanted)
    {
        if (stillWanted())
        {
            _ = composedGzip is null ? gzip.Value : (object)composedGzip.Value;
        }

        if (OffersBrotli && stillWanted())
        {
            _ = brotli.Value;
        }

        return this;
    }

    private static byte[] Compress(ReadOnlyMemory<byte> json, Func<Stream, Stream> compressor) => Compress([json], compressor);

    private static byte[] Compress(IEnumerable<ReadOnlyMemory<byte>> pieces, Func<Stream, Stream> compressor)
    {
        using var output = new MemoryStream();
        using (var stream = compressor(output))
        {
            foreach (var piece in pieces)
            {
                stream.Write(piece.Span);
            }
        }

        return output.ToArray();
    }
}
