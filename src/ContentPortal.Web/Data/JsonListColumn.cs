using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ContentPortal.Web.Data;

/// <summary>
/// A list owned by its row as one JSON text column ("[]" when empty): codes and health aspects are read and written
/// with their owner and never queried by column, so a table of their own would only add joins. Empty text (rows
/// from before the column existed) reads as an empty list.
/// </summary>
public static class JsonListColumn
{
    public static ValueConverter<IReadOnlyList<T>, string> Converter<T>(JsonSerializerOptions json) => new(
        list => JsonSerializer.Serialize(list, json),
        text => Read<T>(text, json));

    public static ValueComparer<IReadOnlyList<T>> Comparer<T>() => new(
        (a, b) => (a ?? Array.Empty<T>()).SequenceEqual(b ?? Array.Empty<T>()),
        list => list.Aggregate(0, (hash, item) => HashCode.Combine(hash, item)),
        list => list.ToList().AsReadOnly());

    private static IReadOnlyList<T> Read<T>(string text, JsonSerializerOptions json) =>
        string.IsNullOrWhiteSpace(text) ? Array.Empty<T>() : (JsonSerializer.Deserialize<List<T>>(text, json) ?? []).AsReadOnly();
}
