using NJsonSchema;

namespace ContentPortal.Web.Tests.Feed;

/// <summary>
/// Validates responses against the schema the app publishes. NJsonSchema (the validator that restores
/// here) understands draft-07 "definitions", not 2020-12 "$defs"; every keyword the schema uses exists in
/// both, so the check renames $defs to definitions and validates with the rest unchanged.
/// </summary>
public static class FeedSchemaCheck
{
    public static async Task<JsonSchema> LoadAsync(HttpClient client)
    {
        var text = await client.GetStringAsync("/api/v1/feed/schema.json");
        Assert.Contains("\"$schema\": \"https://json-schema.org/draft/2020-12/schema\"", text);
        return await JsonSchema.FromJsonAsync(text.Replace("\"$defs\"", "\"definitions\"").Replace("#/$defs/", "#/definitions/"));
    }

    /// <summary>Asserts <paramref name="json"/> is valid against the root schema or the named $defs entry.</summary>
    public static void AssertValid(JsonSchema schema, string json, string? definition = null)
    {
        var target = definition is null ? schema : schema.Definitions[definition];
        var errors = target.Validate(json);
        Assert.True(errors.Count == 0, $"Not valid against {definition ?? "the feed schema"}: " + string.Join("; ", errors.Select(e => $"{e.Kind} at {e.Path}")));
    }

    public static void AssertInvalid(JsonSchema schema, string json, string? definition = null)
    {
        var target = definition is null ? schema : schema.Definitions[definition];
        Assert.NotEmpty(target.Validate(json));
    }
}
