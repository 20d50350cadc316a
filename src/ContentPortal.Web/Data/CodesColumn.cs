using System.Text.Json;
using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ContentPortal.Web.Data;

/// <summary>
/// A version's or a red flag's clinical codes as one JSON text column ("[]" when none). They are read and written
/// with their owner and never queried by column (look-ups answer from the published snapshot), so a table of
/// their own would only add joins. Empty text (rows from before codes existed) reads as no codes.
/// </summary>
public static class CodesColumn
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static readonly ValueConverter<IReadOnlyList<ClinicalCode>, string> Converter = new(
        codes => JsonSerializer.Serialize(codes, Json),
        text => Read(text));

    public static readonly ValueComparer<IReadOnlyList<ClinicalCode>> Comparer = new(
        (a, b) => (a ?? Array.Empty<ClinicalCode>()).SequenceEqual(b ?? Array.Empty<ClinicalCode>()),
        codes => codes.Aggregate(0, (hash, code) => HashCode.Combine(hash, code)),
        codes => codes.ToList().AsReadOnly());

    private static IReadOnlyList<ClinicalCode> Read(string text) =>
        string.IsNullOrWhiteSpace(text) ? Array.Empty<ClinicalCode>() : (JsonSerializer.Deserialize<List<ClinicalCode>>(text, Json) ?? []).AsReadOnly();
}
