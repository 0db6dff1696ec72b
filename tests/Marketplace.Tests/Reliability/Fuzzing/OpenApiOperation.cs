using System.Text.Json;

namespace Marketplace.Tests.Reliability.Fuzzing;

/// <summary>One operation of a service's OpenAPI document: its method and path, its path and query parameters with
/// their schemas, and its JSON body's schema (all <c>$ref</c>s resolved against the document).</summary>
public sealed record OpenApiOperation(
    string Method, string Path, string OperationId, IReadOnlyList<string> PathParameters,
    IReadOnlyList<(string Name, JsonElement Schema)> Query, JsonElement? Body, JsonElement Document)
{
    public static IEnumerable<OpenApiOperation> Read(JsonElement document)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                var parameters = operation.Value.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
                JsonElement? body = operation.Value.TryGetProperty("requestBody", out var rb)
                    && rb.GetProperty("content").TryGetProperty("application/json", out var json) ? json.GetProperty("schema") : null;
                yield return new OpenApiOperation(
                    operation.Name.ToUpperInvariant(),
                    path.Name,
                    operation.Value.TryGetProperty("operationId", out var id) ? id.GetString()! : path.Name,
                    parameters.Where(x => x.GetProperty("in").GetString() == "path").Select(x => x.GetProperty("name").GetString()!).ToList(),
                    parameters.Where(x => x.GetProperty("in").GetString() == "query").Select(x => (x.GetProperty("name").GetString()!, x.GetProperty("schema"))).ToList(),
                    body,
                    document);
            }
        }
    }

    /// <summary>The schema behind a <c>$ref</c> (or a nullable <c>oneOf</c> wrapping one), else the schema itself.</summary>
    public JsonElement Resolve(JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            return Resolve(Document.GetProperty("components").GetProperty("schemas").GetProperty(name));
        }

        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            foreach (var option in oneOf.EnumerateArray())
            {
                if (!(option.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null"))
                {
                    return Resolve(option);
                }
            }
        }

        return schema;
    }

    /// <summary>The schema's JSON type, ignoring "null" in a type list.</summary>
    public static string TypeOf(JsonElement schema)
    {
        if (schema.TryGetProperty("enum", out _))
        {
            return "enum";
        }

        if (!schema.TryGetProperty("type", out var type))
        {
            return schema.TryGetProperty("properties", out _) ? "object" : "any";
        }

        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()!).FirstOrDefault(t => t != "null") ?? "null"
            : type.GetString()!;
    }
}
