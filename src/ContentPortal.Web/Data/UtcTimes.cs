using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ContentPortal.Web.Data;

/// <summary>
/// How every time is stored: as UTC in whole microseconds on every provider (PostgreSQL's precision), so a
/// time reads back the same from SQLite and PostgreSQL, and always as UTC. Applied to every DateTime by
/// <see cref="PortalDbContext"/>'s conventions.
/// </summary>
internal static class UtcTimes
{
    public static DateTime ToStored(DateTime v)
    {
        var utc = v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime();
        return new DateTime(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);
    }

    public sealed class Converter() : ValueConverter<DateTime, DateTime>(
        v => ToStored(v),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    public sealed class NullableConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v.HasValue ? ToStored(v.Value) : v,
        v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);
}
