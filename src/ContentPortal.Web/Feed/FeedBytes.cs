using System.IO.Compression;

namespace ContentPortal.Web.Feed;

/// <summary>
/// One immutable JSON response, with its gzip and Brotli forms and its validators, built once and then
/// served as is by every request (no serialization or compression per request).
/// </summary>
public sealed class FeedBytes
{
    private readonly Lazy<byte[]> gzip;
    private readonly Lazy<byte[]> brotli;

    public FeedBytes(byte[] json, DateTime lastModified, string? etag = null)
    {
        Json = json;
        // Strong validator of the identity bytes; the compressed forms are other representations with their own tags.
        var tag = (etag ?? Domain.Snapshot.StrongETag(json)).Trim('"');
        ETag = $"\"{tag}\"";
        GzipETag = $"\"{tag}-gz\"";
        BrotliETag = $"\"{tag}-br\"";
        // HTTP dates have whole seconds.
        LastModified = new DateTimeOffset(lastModified.Ticks - lastModified.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero).ToString("R");
        gzip = new Lazy<byte[]>(() => Compress(json, s => new GZipStream(s, CompressionLevel.Optimal)));
        brotli = new Lazy<byte[]>(() => Compress(json, s => new BrotliStream(s, CompressionLevel.Optimal)));
    }

    public byte[] Json { get; }

    public byte[] Gzip => gzip.Value;

    public byte[] Brotli => brotli.Value;

    public string ETag { get; }

    public string GzipETag { get; }

    public string BrotliETag { get; }

    public string LastModified { get; }

    /// <summary>Builds both compressed forms now (at publish), so no request ever pays for them.</summary>
    public FeedBytes Precompress()
    {
        _ = gzip.Value;
        _ = brotli.Value;
        return this;
    }

    private static byte[] Compress(byte[] json, Func<Stream, Stream> compressor)
    {
        using var output = new MemoryStream(json.Length / 4 + 64);
        using (var stream = compressor(output))
        {
            stream.Write(json);
        }

        return output.ToArray();
    }
}
