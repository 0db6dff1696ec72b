using System.Reflection;
using Marketplace.BuildingBlocks.Data;
using Marketplace.Catalog;
using Marketplace.Contracts.Catalog;
using Marketplace.Pricing;
using Marketplace.Rights;
using Marketplace.Settlement;
using MassTransit;
using NetArchTest.Rules;

namespace Marketplace.Tests.Foundation;

/// <summary>
/// The fixed shape: services talk only through contracts; no service references another service's assembly or
/// namespace; shared code knows no service; every contract is a sealed record in the contracts assembly.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Dictionary<string, Assembly> Services = new()
    {
        ["Marketplace.Catalog"] = typeof(CatalogDb).Assembly,
        ["Marketplace.Rights"] = typeof(RightsDb).Assembly,
        ["Marketplace.Pricing"] = typeof(PricingDb).Assembly,
        ["Marketplace.Settlement"] = typeof(SettlementDb).Assembly,
    };

    private static readonly Assembly ContractsAssembly = typeof(ParticipantAdmitted).Assembly;

    public static TheoryData<string> ServiceNames => [.. Services.Keys];

    [Theory]
    [MemberData(nameof(ServiceNames))]
    public void A_service_does_not_reference_another_services_assembly(string service)
    {
        var references = Services[service].GetReferencedAssemblies().Select(a => a.Name).ToHashSet();
        foreach (var other in Services.Keys.Where(s => s != service))
        {
            Assert.DoesNotContain(other, references);
        }
    }

    [Theory]
    [MemberData(nameof(ServiceNames))]
    public void A_service_does_not_depend_on_another_services_namespace(string service)
    {
        var others = Services.Keys.Where(s => s != service).ToArray();
        var result = Types.InAssembly(Services[service]).ShouldNot().HaveDependencyOnAny(others).GetResult();
        Assert.True(result.IsSuccessful, $"{service} depends on another service: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void Shared_code_knows_no_service()
    {
        foreach (var assembly in new[] { typeof(ServiceDb).Assembly, ContractsAssembly })
        {
            var result = Types.InAssembly(assembly).ShouldNot().HaveDependencyOnAny([.. Services.Keys]).GetResult();
            Assert.True(result.IsSuccessful, $"{assembly.GetName().Name} depends on a service: {string.Join(", ", result.FailingTypeNames ?? [])}");
        }
    }

    [Fact]
    public void Contracts_depend_on_nothing_but_the_runtime()
    {
        Assert.All(ContractsAssembly.GetReferencedAssemblies(), a => Assert.True(
            a.Name is "netstandard" || a.Name!.StartsWith("System.", StringComparison.Ordinal),
            $"Contracts reference {a.Name}"));
    }

    [Fact]
    public void Every_contract_is_a_sealed_record_or_an_enum()
    {
        foreach (var type in ContractsAssembly.GetTypes().Where(t => t.IsPublic))
        {
            Assert.True(type.IsEnum || (type.IsSealed && IsRecord(type)), $"{type} must be a sealed record (or an enum)");
            Assert.StartsWith("Marketplace.Contracts.", type.Namespace, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(ServiceNames))]
    public void Every_consumed_message_is_a_contract(string service)
    {
        var consumed = Services[service].GetTypes()
            .SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
            .Select(i => i.GetGenericArguments()[0])
            .ToList();
        Assert.All(consumed, m =>
        {
            Assert.Equal(ContractsAssembly, m.Assembly);
            Assert.True(m.IsSealed && IsRecord(m), $"{m} must be a sealed record");
        });
    }

    private static bool IsRecord(Type type) =>
        type.GetMethod("<Clone>$") is not null || type.GetProperty("EqualityContract", BindingFlags.NonPublic | BindingFlags.Instance) is not null;

    /// <summary>
    /// Consumers take their definition by convention: each sits under its service's namespace (its queue is named from
    /// it), and a definition class exists only where a consumer really differs — none does today.
    /// </summary>
    [Theory]
    [MemberData(nameof(ServiceNames))]
    public void Consumers_follow_the_convention_and_no_definition_only_repeats_the_defaults(string service)
    {
        var consumers = Services[service].GetTypes().Where(t => t.IsClass && !t.IsAbstract && typeof(IConsumer).IsAssignableFrom(t)).ToList();
        Assert.NotEmpty(consumers);
        foreach (var consumer in consumers)
        {
            Assert.Equal(service["Marketplace.".Length..].ToLowerInvariant(), Marketplace.BuildingBlocks.Messaging.ServiceConsumers.ServiceOf(consumer));
        }

        Assert.DoesNotContain(Services[service].GetTypes(), t => t.BaseType is { IsGenericType: true } b
            && b.GetGenericTypeDefinition() == typeof(Marketplace.BuildingBlocks.Messaging.ServiceConsumerDefinition<>));
        Assert.Throws<InvalidOperationException>(() => Marketplace.BuildingBlocks.Messaging.ServiceConsumers.ServiceOf(typeof(string)));
    }

    /// <summary>
    /// Settings are read once, as typed options bound and validated at start: no class or endpoint of a service takes
    /// <see cref="Microsoft.Extensions.Configuration.IConfiguration"/>, except its database (the connection settings) —
    /// its module binds the sections from the builder.
    /// </summary>
    [Theory]
    [MemberData(nameof(ServiceNames))]
    public void No_setting_is_read_outside_typed_options(string service)
    {
        var readers = ReadersOfConfiguration(Services[service]).ToList();
        Assert.True(readers.Count == 0, string.Join("\n", readers));

        // The check itself: a type that takes IConfiguration is found.
        Assert.Contains(ReadersOfConfiguration(typeof(ArchitectureTests).Assembly), r => r.Contains(nameof(ReadsConfiguration), StringComparison.Ordinal));
    }

    private static IEnumerable<string> ReadersOfConfiguration(Assembly assembly)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        // The module's own lambda that makes the database from the configuration is the one place allowed.
        static bool ModuleWiring(Type t) => t.DeclaringType?.Name.EndsWith("Module", StringComparison.Ordinal) == true
            && t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute));
        foreach (var type in assembly.GetTypes().Where(t => !typeof(ServiceDb).IsAssignableFrom(t) && !ModuleWiring(t)))
        {
            var methods = type.GetConstructors(all).Cast<MethodBase>().Concat(type.GetMethods(all));
            foreach (var method in methods.Where(m => m.GetParameters().Any(p => p.ParameterType == typeof(Microsoft.Extensions.Configuration.IConfiguration))))
            {
                yield return $"{type.FullName}.{method.Name} takes IConfiguration";
            }
        }
    }

    /// <summary>
    /// One write path: a service changes state only through its unit of work (<see cref="GroupCommitter{TDb}"/>: group
    /// commit on SQLite, a transaction of its own on SQL Server); reads take <see cref="ServiceDb.ReadAsync"/>'s snapshot,
    /// which on SQLite takes no write lock. Beginning a transaction is not public, and no source outside the data
    /// building blocks begins or commits one.
    /// </summary>
    [Fact]
    public void No_transaction_is_begun_or_committed_outside_the_unit_of_work()
    {
        Assert.False(typeof(ServiceDb).GetMethod(nameof(ServiceDb.ReadAsync))!.IsPrivate);
        Assert.Null(typeof(ServiceDb).GetMethod("BeginAsync", BindingFlags.Public | BindingFlags.Instance));
        var root = Support.DistributedMarketplace.RepositoryRoot;
        var dataBlocks = Path.Combine(root, "shared", "Marketplace.BuildingBlocks", "Data") + Path.DirectorySeparatorChar;
        var offenders = new[] { "services", "shared", "deploy" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(root, d), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.StartsWith(dataBlocks, StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => TransactionIdioms(File.ReadAllText(f)).Select(idiom => $"{Path.GetRelativePath(root, f)}: {idiom}"))
            .ToList();
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));

        // The check itself: each idiom is found in a sample that uses it.
        Assert.Equal(3, TransactionIdioms("""
            await using var uow = await db.BeginAsync(ct);
            using var tx = connection.BeginTransaction();
            await uow.CommitAsync(ct);
            """).Count());
    }

    /// <summary>
    /// One layout in every service: a folder per resource; its routes, with who may call each, mapped in the folder's
    /// <c>{Resource}Endpoints.cs</c> (the module calls its <c>Map…</c>); each consumer in a <c>{Action}Consumer.cs</c> of the
    /// folder whose state it changes. Nothing is mapped or consumed at a service's root.
    /// </summary>
    [Fact]
    public void Routes_and_consumers_sit_where_the_layout_says()
    {
        var root = Support.DistributedMarketplace.RepositoryRoot;
        var files = Directory.EnumerateFiles(Path.Combine(root, "services"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains(".Host", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(Path.Combine(root, "services"), f), File.ReadAllText);
        var misplaced = LayoutProblems(files).ToList();
        Assert.True(misplaced.Count == 0, string.Join("\n", misplaced));

        // The check itself: a route mapped at a service's root and a consumer in a file not named for it are found.
        Assert.Equal(2, LayoutProblems(new Dictionary<string, string>
        {
            ["settlement/Marketplace.Settlement/SettlementEndpoints.cs"] = "api.MapGet(\"/orders\", ReadOrders.List);",
            ["settlement/Marketplace.Settlement/Orders/Progress.cs"] = "public sealed class OrderProgressConsumer : IConsumer<QuoteIssued>",
        }).Count());
    }

    private static IEnumerable<string> LayoutProblems(IReadOnlyDictionary<string, string> sources)
    {
        foreach (var (path, source) in sources)
        {
            var folders = path.Split('/', '\\');
            var inResourceFolder = folders.Length > 3; // service / project / resource folder / file
            var name = folders[^1];
            if (System.Text.RegularExpressions.Regex.IsMatch(source, @"\.Map(Get|Post|Put|Patch|Delete|Methods)\(")
                && !(inResourceFolder && name.EndsWith("Endpoints.cs", StringComparison.Ordinal)))
            {
                yield return $"{path}: routes are mapped in a resource folder's {{Resource}}Endpoints.cs";
            }

            if (source.Contains("IConsumer<", StringComparison.Ordinal) && !(inResourceFolder && name.EndsWith("Consumer.cs", StringComparison.Ordinal)))
            {
                yield return $"{path}: a consumer sits in a resource folder's {{Action}}Consumer.cs";
            }
        }
    }

    private static IEnumerable<string> TransactionIdioms(string source) =>
        new[] { ".BeginAsync(", "BeginTransaction", ".CommitAsync(" }.Where(idiom => source.Contains(idiom, StringComparison.Ordinal));

    /// <summary>A deliberate violation, for the check above to find.</summary>
    private sealed class ReadsConfiguration(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        public string? Value => configuration["x"];
    }
}
