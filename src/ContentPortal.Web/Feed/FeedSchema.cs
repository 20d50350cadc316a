namespace ContentPortal.Web.Feed;

/// <summary>The committed JSON Schema (Feed/feed.schema.json, embedded), served as is.</summary>
public static class FeedSchema
{
    public static readonly FeedBytes Bytes = Load();

    private static FeedBytes Load()
    {
        using var stream = typeof(FeedSchema).Assembly.GetManifestResourceStream("feed.schema.json")
            ?? throw new InvalidOperationException("feed.schema.json is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        // Last-Modified: when this build was made (the schema changes only with a new build).
        return new FeedBytes(copy.ToArray(), File.GetLastWriteTimeUtc(typeof(FeedSchema).Assembly.Location)).Precompress();
    }
}
