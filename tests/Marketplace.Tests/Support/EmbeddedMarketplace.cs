using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Catalog.Participants;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Marketplace.Tests.Support;

/// <summary>
/// The embedded host (all four services, one process) in-process, on SQLite files in a fresh temporary folder.
/// Settings can be overridden; time can be faked; a service's outbox loop can be left out so a test drives the
/// dispatcher itself.
/// </summary>
public sealed class EmbeddedMarketplace : WebApplicationFactory<Program>
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly Dictionary<string, string?> settings;
    private readonly TimeProvider? time;
    private readonly Type[] withoutOutboxLoopFor;

    public EmbeddedMarketplace(
        IDictionary<string, string?>? settings = null, TimeProvider? time = null, params Type[] withoutOutboxLoopFor)
    {
        DataDirectory = Directory.CreateTempSubdirectory("marketplace-test-").FullName;
        this.settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:SqliteDirectory"] = DataDirectory,
            ["Messaging:Transport"] = "InMemory",
            ["Bootstrap:OperatorId"] = OperatorId.ToString(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            this.settings[key] = value;
        }

        this.time = time;
        this.withoutOutboxLoopFor = withoutOutboxLoopFor;
    }

    public Guid OperatorId { get; } = Guid.CreateVersion7();

    /// <summary>Hosted services to leave out (e.g. a <c>PeriodicWorkLoop</c>), so a test decides when that work runs.</summary>
    public IReadOnlyList<Type> WithoutHostedServices { get; init; } = [];

    public string DataDirectory { get; }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            if (time is not null)
            {
                services.AddSingleton(time);
            }

            foreach (var type in withoutOutboxLoopFor.Select(db => typeof(OutboxLoop<>).MakeGenericType(db)).Concat(WithoutHostedServices))
            {
                services.Remove(services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == type));
            }
        });
    }

    /// <summary>A client whose token names <paramref name="subject"/> with <paramref name="roles"/> (none: unauthenticated).</summary>
    public HttpClient ClientAs(Guid? subject, params string[] roles)
    {
        var client = CreateClient();
        if (subject is { } sub)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(sub, roles));
        }

        return client;
    }

    public HttpClient Operator() => ClientAs(OperatorId, Roles.Operator);

    public HttpClient Anonymous() => CreateClient();

    public string Token(Guid subject, params string[] roles) =>
        Get<TokenSigning>().CreateToken(subject, roles, DateTimeOffset.UtcNow);

    /// <summary>Admits a new buyer-and-provider (or the roles given) through the API, as the bootstrap operator.</summary>
    /// <param name="waitUntilKnown">Whether to wait until every service knows the participant (<see cref="KnownEverywhereAsync"/>).</param>
    public async Task<ParticipantResponse> AdmitAsync(string[]? roles = null, string name = "测试数据有限公司", bool waitUntilKnown = true)
    {
        roles ??= ["provider", "buyer"];
        var response = await Operator().PostAsJsonAsync("/catalog/participants", new
        {
            name,
            jurisdiction = "mainland",
            creditCode = Codes.NewCreditCode(),
            roles,
            qualification = roles.Contains("buyer") ? "basic" : null,
        });
        await Expect.Status(response, System.Net.HttpStatusCode.Created);
        var admitted = (await response.Content.ReadFromJsonAsync<ParticipantResponse>(Json))!;
        if (waitUntilKnown)
        {
            await KnownEverywhereAsync(admitted.Id);
        }

        return admitted;
    }

    /// <summary>
    /// Waits until every service's copy of the participants holds <paramref name="participant"/>: a participant's writes
    /// are refused by a service that has not yet learnt of its admission (it is not an active participant there).
    /// </summary>
    public async Task KnownEverywhereAsync(Guid participant)
    {
        foreach (var db in new ServiceDb[] { Get<Marketplace.Rights.RightsDb>(), Get<Marketplace.Pricing.PricingDb>(), Get<Marketplace.Settlement.SettlementDb>() })
        {
            await Eventually.True(
                async () =>
                {
                    await using var connection = await db.OpenAsync();
                    return await Dapper.SqlMapper.ExecuteScalarAsync<long>(
                        connection, $"SELECT COUNT(*) FROM {db.Schema}.participants WHERE id = @participant", new { participant }) == 1;
                },
                what: $"{db.Schema} to learn of participant {participant}");
        }
    }

    public async Task<long> CountAsync<TDb>(string sql, object? param = null)
        where TDb : ServiceDb
    {
        await using var connection = await Get<TDb>().OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, sql, param);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a pooled handle on the way out; the OS temp folder is cleaned anyway.
        }
    }
}
