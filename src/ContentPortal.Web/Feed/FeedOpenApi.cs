using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace ContentPortal.Web.Feed;

/// <summary>
/// What one feed endpoint answers, for its OpenAPI operation: the <c>$defs</c> entry of feed.schema.json its
/// 200 body follows (null: not ours, e.g. the schema itself), its query parameters, the problems it answers
/// and whether it offers the FHIR and schema.org renditions. Attached to the route with <see cref="FeedOpenApi.Answers"/>.
/// </summary>
public sealed record FeedContract(string? Body, IReadOnlyList<FeedParameter> Parameters, IReadOnlyList<int> Problems, string? Renditions = null, string BodyType = "application/json");

/// <summary>A query parameter: its JSON Schema (as text) and what it does.</summary>
public sealed record FeedParameter(string Name, string Schema, string Description, bool Required = false);

/// <summary>
/// The OpenAPI document of the feed, built from the one source of truth: every <c>$defs</c> entry of
/// feed.schema.json becomes a component schema (refs rewritten) when the document is built, and each operation
/// gets its body, parameters, 304 and problems from its route's <see cref="FeedContract"/>.
/// </summary>
public static class FeedOpenApi
{
    private const string ProblemType = "application/problem+json";

    public static RouteHandlerBuilder Answers(this RouteHandlerBuilder builder, string? body, int[] problems, params FeedParameter[] parameters) =>
        builder.WithMetadata(new FeedContract(body, parameters, problems));

    public static RouteHandlerBuilder Answers(this RouteHandlerBuilder builder, FeedContract contract) => builder.WithMetadata(contract);

    public static FeedParameter Format { get; } = new("format", """{ "type": "string", "enum": ["json", "fhir", "jsonld", "application/json", "application/fhir+json", "application/ld+json"] }""",
        "json, fhir or jsonld (or the media type): overrides Accept (for browsers and links). Anything else is a 400.");

    public static void Configure(OpenApiOptions options)
    {
        options.ShouldInclude = description => description.RelativePath?.StartsWith("api/") == true;
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            foreach (var (name, schema) in ComponentSchemas(document))
            {
                document.Components.Schemas[name] = schema;
            }

            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<FeedContract>().LastOrDefault() is { } contract)
            {
                Describe(operation, contract, HttpMethods.IsHead(context.Description.HttpMethod ?? ""), context.Document);
            }

            return Task.CompletedTask;
        });
    }

    /// <summary>The $defs of feed.schema.json as OpenAPI 3.1 schemas (which are JSON Schema 2020-12).</summary>
    private static IEnumerable<(string Name, IOpenApiSchema Schema)> ComponentSchemas(OpenApiDocument document)
    {
        var root = JsonNode.Parse(FeedSchema.Bytes.Json.Span)!;
        foreach (var (name, definition) in root["$defs"]!.AsObject())
        {
            yield return (name, Parse(definition!.ToJsonString(), document));
        }
    }

    private static IOpenApiSchema Parse(string schema, OpenApiDocument? document)
    {
        var text = schema.Replace("\"#/$defs/", "\"#/components/schemas/", StringComparison.Ordinal);
        var parsed = OpenApiModelFactory.Parse<OpenApiSchema>(text, OpenApiSpecVersion.OpenApi3_1, document ?? new OpenApiDocument(), out var diagnostic, "json");
        if (parsed is null || diagnostic?.Errors.Count > 0)
        {
            throw new InvalidOperationException($"feed.schema.json does not read as an OpenAPI schema: {string.Join("; ", diagnostic?.Errors.Select(e => e.Message) ?? [])}");
        }

        return parsed;
    }

    private static void Describe(OpenApiOperation operation, FeedContract contract, bool head, OpenApiDocument? document)
    {
        operation.Parameters ??= [];
        foreach (var parameter in contract.Parameters)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = parameter.Name,
                In = ParameterLocation.Query,
                Required = parameter.Required,
                Description = parameter.Description,
                Schema = Parse(parameter.Schema, document),
            });
        }

        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "If-None-Match",
            In = ParameterLocation.Header,
            Description = "An ETag this API sent (any encoding's): 304 without a body while it is current.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });

        var responses = new OpenApiResponses
        {
            ["200"] = Ok(contract, head, document),
            ["304"] = new OpenApiResponse { Description = "Not modified: the If-None-Match tag is still current. No body.", Headers = Validators() },
        };
        foreach (var status in contract.Problems.Order())
        {
            responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Problem(
                status switch
                {
                    400 => "Bad request: a query parameter is missing, repeated or out of range (the detail says which).",
                    404 => "Not found: no such snapshot or item, or nothing published yet.",
                    406 => "Not acceptable: Accept names none of the representations offered.",
                    _ => "Problem.",
                },
                document,
                body: !head);
        }

        operation.Responses = responses;
    }

    /// <summary>
    /// A problem answer as every route of this API declares it: feed.schema.json's own <c>problem</c> schema
    /// (HEAD declares the same answer without a body).
    /// </summary>
    public static OpenApiResponse Problem(string description, OpenApiDocument? document, bool body = true) => new()
    {
        Description = description,
        Content = !body ? null : new Dictionary<string, OpenApiMediaType> { [ProblemType] = new() { Schema = new OpenApiSchemaReference("problem", document) } },
    };

    private static OpenApiResponse Ok(FeedContract contract, bool head, OpenApiDocument? document)
    {
        var response = new OpenApiResponse
        {
            Description = (contract.Body is null ? "OK." : $"OK: $defs/{contract.Body} of /api/v1/feed/schema.json.")
                + (contract.Renditions is null ? "" : $" Or {contract.Renditions} (Accept or ?format=; Vary: Accept, each representation has its own ETag).")
                + (head ? " HEAD answers the same headers without a body." : ""),
            Headers = Validators(),
        };
        if (head)
        {
            return response;
        }

        IOpenApiSchema body = contract.Body is null ? new OpenApiSchema { Type = JsonSchemaType.Object } : new OpenApiSchemaReference(contract.Body, document);
        response.Content = new Dictionary<string, OpenApiMediaType> { [contract.BodyType] = new() { Schema = body } };
        if (contract.Renditions is not null)
        {
            // The renditions follow FHIR R4 and schema.org, which publish their own schemas; ours would be a copy.
            response.Content[FhirRendition.MediaType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "FHIR R4 JSON (https://hl7.org/fhir/R4/fhir.schema.json)." } };
            response.Content[SchemaOrgRendition.MediaType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "schema.org JSON-LD (https://schema.org)." } };
        }

        return response;
    }

    private static Dictionary<string, IOpenApiHeader> Validators() => new()
    {
        ["ETag"] = new OpenApiHeader { Description = "Strong; differs per Content-Encoding and representation.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
        ["Last-Modified"] = new OpenApiHeader { Description = "When the snapshot was published.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
        ["Cache-Control"] = new OpenApiHeader { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
    };
}
