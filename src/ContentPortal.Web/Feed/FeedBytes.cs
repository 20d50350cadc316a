using System.IO.Compression;

namespace ContentPortal.Web.Feed;

/// <summary>
/// One immutable JSON response, with its gzip and Brotli forms and its validators, built once and then
/// served as is by every request (no serialization or compression per request). The JSON may be a slice
/// of a larger array (an item inside the current feed), so items cost no copies.
/// </summary>
public sealed class FeedBytes
{
    private readonly Lazy<byte[]> gzip;
    private readonly Lazy<byte[]> brotli;
    private readonly Lazy<(string Identity, string Gzip, string Brotli)> tags;
    private readonly DateTime lastModified;
    private string? lastModifiedText;

    public FeedBytes(ReadOnlyMemory<byte> json, DateTime lastModified, string? etag = null)
    {
        Json = json;
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

    public ReadOnlyMemory<byte> Json { get; }

    public byte[] Gzip => gzip.Value;

    public byte[] Brotli => brotli.Value;

    public string ETag => tags.Value.Identity;

    public string GzipETag => tags.Value.Gzip;

    public string BrotliETag => tags.Value.Brotli;

    /// <summary>HTTP dates have whole seconds.</summary>
    public string LastModified => lastModifiedText ??=
        new DateTimeOffset(lastModified.Ticks - lastModified.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero).ToString("R");

    /// <summary>Bytes held (identity plus any compressed form made so far): what a bounded cache counts.</summary>
    public long Size => Json.Length + (gzip.IsValueCreated ? gzip.Value.Length : 0) + (brotli.IsValueCreated ? brotli.Value.Length : 0);

    /// <summary>Builds both compressed forms now, so no request pays for them.</summary>
    public FeedBytes Precompress() => Precompress(() => true);

    /// <summary>Builds the compressed forms now, each only while <paramref name="stillWanted"/> says so.</summary>
    public FeedBytes Precompress(Func<bool> stillWanted)
    {
        if (stillWanted())
        {
            _ = gzip.Value;
        }

        if (stillWanted())
        {
            _ = brotli.Value;
        }

        return this;
    }

    private static byte[] Compress(ReadOnlyMemory<byte> json, Func<Stream, Stream> compressor)
    {
        using var output = new MemoryStream(json.Length / 4 + 64);
        using (var stream = compressor(output))
        {
            stream.Write(json.Span);
        }

        return output.ToArray();
    }
}
