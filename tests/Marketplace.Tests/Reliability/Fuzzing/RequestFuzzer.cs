using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Marketplace.Tests.Reliability.Fuzzing;

/// <summary>
/// Makes a malformed or extreme request for an operation: a plausible request (a known-good sample body where one is
/// given, else one built from the schema) with one thing broken — a field of the wrong type, huge, empty, full of
/// control or unusual Unicode characters, negative or overflowing, missing or null; unknown extra fields (mass
/// assignment); an oversized, deeply nested, truncated or non-JSON body; a query or path value of the wrong shape.
/// Deterministic for a given <see cref="Random"/> seed, so a failure can be replayed.
/// </summary>
public sealed class RequestFuzzer(Random random, IReadOnlyDictionary<string, Func<JsonNode>> samples, Func<string, string?> realRouteValue)
{
    private static readonly string[] NastyStrings =
    [
        "", " ", "\u0000", "\u0001\u0007\u001b[31m\u007f", "\t\r\n", "\u202e\u200b\ufeff\u2028", "😀𝕏👨‍👩‍👧", "Ω≈ç√∫˜µ≤≥÷",
        "' OR 1=1 --", "\"; DROP TABLE outbox; --", "<script>alert(1)</script>", "../../../../etc/passwd", "%00%ff", "${jndi:ldap://127.0.0.1/a}",
        "-1", "0", "NaN", "Infinity", "1e400", "9223372036854775808", "-9223372036854775809", "null", "true", "00000000-0000-0000-0000-000000000000",
        "2026-13-45", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "数据" + new string('数', 300),
    ];

    private static readonly JsonNode?[] NastyNumbers = [-1, 0, long.MaxValue, long.MinValue, int.MaxValue, 1.5, 1e308, -1e308];

    public HttpRequestMessage Next(OpenApiOperation operation)
    {
        var path = operation.Path;
        foreach (var name in operation.PathParameters)
        {
            path = path.Replace("{" + name + "}", Uri.EscapeDataString(PathValue(name)));
        }

        var query = new List<string>();
        foreach (var (name, schema) in operation.Query.Where(_ => random.Next(3) == 0))
        {
            query.Add($"{name}={Uri.EscapeDataString(QueryValue(schema))}");
        }

        if (operation.Query.Count > 0 && random.Next(8) == 0)
        {
            var (name, _) = operation.Query[random.Next(operation.Query.Count)];
            query.Add($"{name}=1&{name}=2");
        }

        var request = new HttpRequestMessage(new HttpMethod(operation.Method), path + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
        if (operation.Body is { } body)
        {
            request.Content = Body(operation, body);
        }

        if (operation.Method is "POST" or "PUT" && random.Next(6) == 0)
        {
            // Header values stay printable ASCII: the client refuses to send anything else.
            request.Headers.TryAddWithoutValidation(random.Next(2) == 0 ? "Idempotency-Key" : "If-Match",
                Pick(["", "x", "*", "\"garbage\"", "W/\"1\"", "-1", "' OR 1=1 --", "99999999999999999999"]) + new string('k', random.Next(2) * 2000));
        }

        return request;
    }

    private string PathValue(string name) => random.Next(5) switch
    {
        0 or 1 => realRouteValue(name) ?? Guid.NewGuid().ToString(),
        2 => Guid.NewGuid().ToString(),
        3 => Pick(NastyStrings) is { Length: > 0 } s ? s : "x",
        _ => new string('9', random.Next(1, 5000)),
    };

    private string QueryValue(JsonElement schema) => random.Next(4) switch
    {
        0 => Pick(NastyStrings),
        1 => new string('q', random.Next(200, 12_000)),
        2 => OpenApiOperation.TypeOf(schema) is "integer" or "number" ? Pick(["-1", "0", "101", "2147483648", "-99999999999999999999", "1.5"]) : Guid.NewGuid().ToString(),
        _ => Plausible(schema, null, 0)?.ToJsonString().Trim('"') ?? "",
    };

    private HttpContent Body(OpenApiOperation operation, JsonElement schema)
    {
        switch (random.Next(14))
        {
            case 0:
                return Raw(Pick(["", "{", "{\"a\":", "[]", "null", "\"text\"", "42", "{\"a\":1}}", "\u0000", "{'single':'quotes'}"]));
            case 1:
                var depth = random.Next(2) == 0 ? 70 : 5_000;
                return Raw(new string('[', depth) + new string(']', depth));
            case 2:
                return Raw("{\"x\":\"" + new string('x', 300 * 1024) + "\"}");
            case 3:
                return new StringContent("{}", Encoding.UTF8, "text/plain");
        }

        var node = operation.OperationId is { } id && samples.TryGetValue(id, out var sample) ? sample() : Plausible(schema, operation, 0) ?? new JsonObject();
        if (node is JsonObject root)
        {
            if (random.Next(4) == 0)
            {
                foreach (var (key, value) in new (string, JsonNode?)[]
                {
                    ("id", Guid.NewGuid().ToString()), ("ownerId", Guid.NewGuid().ToString()), ("status", "listed"), ("role", "operator"),
                    ("isOperator", true), ("balance", 1_000_000_000), ("version", 99), ("buyerId", Guid.NewGuid().ToString()), ("__proto__", new JsonObject()),
                })
                {
                    root[key] = value;
                }
            }
            else
            {
                Mutate(root, operation.Resolve(schema), operation, 0);
            }
        }

        return Raw(node.ToJsonString());
    }

    /// <summary>Breaks one field somewhere in the object (descending into nested objects and arrays now and then).</summary>
    private void Mutate(JsonObject target, JsonElement schema, OpenApiOperation operation, int depth)
    {
        var names = target.Select(p => p.Key).ToList();
        if (names.Count == 0)
        {
            target["unexpected"] = Pick(NastyStrings);
            return;
        }

        var name = names[random.Next(names.Count)];
        var fieldSchema = schema.TryGetProperty("properties", out var properties) && properties.TryGetProperty(name, out var f) ? operation.Resolve(f) : default;
        if (depth < 3 && random.Next(3) == 0 && fieldSchema.ValueKind != JsonValueKind.Undefined)
        {
            if (target[name] is JsonObject child)
            {
                Mutate(child, fieldSchema, operation, depth + 1);
                return;
            }

            if (target[name] is JsonArray { Count: > 0 } array && array[0] is JsonObject element && fieldSchema.TryGetProperty("items", out var items))
            {
                Mutate(element, operation.Resolve(items), operation, depth + 1);
                return;
            }
        }

        switch (random.Next(9))
        {
            case 0: target.Remove(name); break;
            case 1: target[name] = null; break;
            case 2: target[name] = Pick(NastyStrings); break;
            case 3: target[name] = JsonValue.Create(Pick(NastyStrings) + new string('長', random.Next(1_000, 60_000))); break;
            case 4: target[name] = Pick(NastyNumbers)?.DeepClone(); break;
            case 5: target[name] = new JsonArray(Enumerable.Range(0, random.Next(1, 2_000)).Select(i => (JsonNode?)JsonValue.Create("v" + i)).ToArray()); break;
            case 6: target[name] = new JsonObject { ["nested"] = Pick(NastyStrings) }; break;
            case 7: target[name] = random.Next(2) == 0; break;
            default: target[name] = JsonNode.Parse("123456789012345678901234567890"); break;
        }
    }

    /// <summary>A value that fits the schema's shape (not necessarily its business rules).</summary>
    private JsonNode? Plausible(JsonElement schema, OpenApiOperation? operation, int depth)
    {
        if (operation is not null)
        {
            schema = operation.Resolve(schema);
        }

        switch (OpenApiOperation.TypeOf(schema))
        {
            case "enum":
                var values = schema.GetProperty("enum").EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).ToList();
                return values.Count == 0 ? null : JsonValue.Create(values[random.Next(values.Count)].GetString());
            case "integer":
            case "number":
                return random.Next(1, 100_000);
            case "boolean":
                return random.Next(2) == 0;
            case "array":
                var array = new JsonArray();
                if (depth < 4 && schema.TryGetProperty("items", out var items))
                {
                    array.Add(Plausible(items, operation, depth + 1));
                }

                return array;
            case "object":
                var result = new JsonObject();
                if (depth < 4 && schema.TryGetProperty("properties", out var properties))
                {
                    foreach (var property in properties.EnumerateObject())
                    {
                        result[property.Name] = Plausible(property.Value, operation, depth + 1);
                    }
                }

                return result;
            default:
                return (schema.TryGetProperty("format", out var format) ? format.GetString() : null) switch
                {
                    "uuid" => Guid.NewGuid().ToString(),
                    "date-time" => "2026-11-25T09:00:00Z",
                    "date" => "2026-11-25",
                    _ => "数据 data " + random.Next(1000),
                };
        }
    }

    private static StringContent Raw(string json) => new(json, Encoding.UTF8, "application/json");

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
