using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.ViewFeatures.Infrastructure;

namespace ContentPortal.Web.Infrastructure;

/// <summary>
/// TempData as plain text, bounded. The framework's serializer turns a stored string that looks like a
/// GUID or a date back into a Guid or DateTime, which then cannot be put into the page's string property
/// (a typed slug "9999-12-31" was a 500 on the next request). Here text stays text, and each value is cut
/// to <see cref="MaxValueLength"/> characters, so the TempData cookie stays small enough for any browser.
/// </summary>
public sealed class TextTempDataSerializer : TempDataSerializer
{
    public const int MaxValueLength = 1000;

    public override IDictionary<string, object> Deserialize(byte[] unprotectedData)
    {
        var values = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        try
        {
            foreach (var (key, value) in JsonSerializer.Deserialize<Dictionary<string, string?>>(unprotectedData) ?? [])
            {
                if (value is not null)
                {
                    values[key] = value;
                }
            }
        }
        catch (JsonException)
        {
            // A cookie from an older version (or a damaged one) is dropped, not a 500.
        }

        return values;
    }

    public override byte[] Serialize(IDictionary<string, object>? values)
    {
        var text = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in values ?? new Dictionary<string, object>())
        {
            if (Convert.ToString(value, CultureInfo.InvariantCulture) is { } s)
            {
                text[key] = s.Length <= MaxValueLength ? s : s[..(MaxValueLength - 1)] + "\u2026";
            }
        }

        return JsonSerializer.SerializeToUtf8Bytes(text);
    }

    public override bool CanSerializeType(Type type) => true;
}
