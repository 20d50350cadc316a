using System.Text.Json;
using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ContentPortal.Web.Data;

/// <summary>
/// A version's or a red flag's clinical codes as one JSON text column (<see cref="JsonListColumn"/>). They are read and
/// written with their owner and never queried by column (look-ups answer from the published snapshot).
/// </summary>
public static class CodesColumn
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static readonly ValueConverter<IReadOnlyList<ClinicalCode>, string> Converter = JsonListColumn.Converter<ClinicalCode>(Json);

    public static readonly ValueComparer<IReadOnlyList<ClinicalCode>> Comparer = JsonListColumn.Comparer<ClinicalCode>();
}
