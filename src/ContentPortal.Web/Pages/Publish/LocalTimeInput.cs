using System.Globalization;

namespace ContentPortal.Web.Pages.Publish;

/// <summary>
/// A datetime-local value as the browser sent it, with the person's offset from UTC for that date (the
/// <c>data-local-schedule</c> script in site.js fills <c>TimezoneOffset</c>; without JavaScript the typed time is UTC).
/// </summary>
public static class LocalTimeInput
{
    public static bool TryReadUtc(string? typed, int? timezoneOffset, out DateTime utc)
    {
        utc = default;
        if (!DateTime.TryParseExact(typed, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        if (timezoneOffset is < -1080 or > 1080)
        {
            return false;
        }

        // A time at the very ends of the calendar has no UTC equivalent once the offset is added.
        var offset = TimeSpan.FromMinutes(timezoneOffset ?? 0);
        if (local > DateTime.MaxValue - offset.Duration() || local < DateTime.MinValue + offset.Duration())
        {
            return false;
        }

        utc = DateTime.SpecifyKind(local + offset, DateTimeKind.Utc);
        return true;
    }
}
