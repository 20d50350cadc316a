using System.Text.Json;
using System.Text.Json.Serialization;
using ContentPortal.Domain;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ContentPortal.Web.Data;

/// <summary>
/// A version's health aspects as one JSON text column (<see cref="JsonListColumn"/>), like its codes. Aspects are
/// stored by name ("Treatments"), so the column reads the same if the enumeration's order changes.
/// </summary>
public static class AspectsColumn
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter<HealthAspect>() } };

    public static readonly ValueConverter<IReadOnlyList<SectionAspect>, string> Converter = JsonListColumn.Converter<SectionAspect>(Json);

    public static readonly ValueComparer<IReadOnlyList<SectionAspect>> Comparer = JsonListColumn.Comparer<SectionAspect>();
}
