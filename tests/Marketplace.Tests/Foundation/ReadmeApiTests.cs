using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Foundation;

/// <summary>
/// The README's endpoint table and the services' OpenAPI documents list the same operations: none missing from either.
/// The table's first column is code spans, <c>METHOD /path?query</c>; a span without a method takes the previous one's;
/// <c>…/x</c> is the previous path up to its last <c>{parameter}</c> (the whole path if it has none) followed by
/// <c>/x</c>, and a bare <c>…</c> the previous path itself; <c>{service}</c> stands for each of the four services.
/// </summary>
public sealed partial class ReadmeApiTests : IAsyncLifetime
{
    private static readonly string[] ServiceNames = ["catalog", "rights", "pricing", "settlement"];

    private readonly EmbeddedMarketplace m = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await m.DisposeAsync();

    [Fact]
    public async Task Every_endpoint_in_the_readme_table_is_in_openapi_and_every_operation_is_in_the_table()
    {
        var documented = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var service in ServiceNames)
        {
            var document = await m.Anonymous().GetFromJsonAsync<JsonElement>($"/{service}/openapi.json");
            foreach (var path in document.GetProperty("paths").EnumerateObject())
            {
                foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete"))
                {
                    documented.Add(Normal(operation.Name.ToUpperInvariant(), path.Name));
                }
            }
        }

        var readme = await File.ReadAllTextAsync(Path.Combine(DistributedMarketplace.RepositoryRoot, "README.md"));
        var tabled = new SortedSet<string>(Table(readme).Where(e => ServiceNames.Any(s => e.Contains($" /{s}/", StringComparison.Ordinal))), StringComparer.Ordinal);
        Assert.True(tabled.Count > 100, $"only {tabled.Count} endpoints read from the table");
        Assert.True(tabled.SetEquals(documented),
            $"in the README, not in OpenAPI:\n{string.Join('\n', tabled.Except(documented))}\nin OpenAPI, not in the README:\n{string.Join('\n', documented.Except(tabled))}");

        // The reading itself, on a sample of the notation.
        Assert.Equal(
            ["GET /x/a", "GET /x/a/{}", "GET /x/a/{}/h", "POST /x/a/{}/h", "POST /x/a/{}/k", "PUT /x/b"],
            Table("""
                ### Endpoints
                | `GET /x/a?q=`, `…/{id}`, `…/h` · `POST …` · `…/k` · `PUT /x/b` | who | what |
                ## Next
                """).Order(StringComparer.Ordinal));
    }

    /// <summary>The endpoints of the README's table, as <c>METHOD /path</c> with parameters written <c>{}</c>.</summary>
    private static IEnumerable<string> Table(string readme)
    {
        var lines = readme.Split('\n');
        foreach (var row in lines.SkipWhile(l => l.Trim() != "### Endpoints").Skip(1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal))
                     .Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            string? method = null, previous = null;
            foreach (Match span in Span().Matches(row.Split(" | ")[0]))
            {
                var parts = Spanned().Match(span.Groups[1].Value);
                method = parts.Groups["method"].Success ? parts.Groups["method"].Value : method;
                var path = parts.Groups["path"].Value.Split('?')[0];
                if (path.StartsWith('…'))
                {
                    var rest = path[1..];
                    path = rest.Length == 0 ? previous! : Base(previous!) + rest;
                }

                previous = path;
                foreach (var concrete in path.Contains("{service}", StringComparison.Ordinal) ? ServiceNames.Select(s => path.Replace("{service}", s, StringComparison.Ordinal)) : [path])
                {
                    yield return Normal(method!, concrete);
                }
            }
        }
    }

    private static string Base(string path)
    {
        var last = path.LastIndexOf('{');
        return last < 0 ? path : path[..(path.IndexOf('}', last) + 1)];
    }

    private static string Normal(string method, string path) => $"{method} {Parameter().Replace(path, "{}")}";

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Span();

    [GeneratedRegex(@"^(?:(?<method>GET|POST|PUT|PATCH|DELETE) )?(?<path>.*)$")]
    private static partial Regex Spanned();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Parameter();
}
