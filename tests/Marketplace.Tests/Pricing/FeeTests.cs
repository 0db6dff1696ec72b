using System.Net;
using System.Net.Http.Json;
using Marketplace.Pricing.Fees;
using Marketplace.Tests.Catalog;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Pricing;

/// <summary>The fee schedule: public to members, set by operators only, versioned, every version kept.</summary>
public sealed class FeeTests
{
    private static object Schedule(int defaultFeeBps = 250) => new
    {
        defaultFeeBps,
        minimumFee = new Dictionary<string, long> { ["CNY"] = 500 },
        rules = new object[] { new { category = "I", grade = "important", feeBps = 600 }, new { category = "G", feeBps = 150 } },
        vatBps = 600,
    };

    [Fact]
    public async Task Operators_set_the_schedule_with_optimistic_concurrency_and_every_version_is_kept()
    {
        await using var m = new EmbeddedMarketplace();
        var member = m.ClientAs((await m.AdmitAsync(["buyer"])).Id, "buyer");
        var initial = (await member.GetFromJsonAsync<FeeScheduleVersion>("/pricing/fees", EmbeddedMarketplace.Json))!;
        Assert.Equal((0, 300, 600), (initial.Version, initial.Schedule.DefaultFeeBps!.Value, initial.Schedule.VatBps!.Value));

        var put = new HttpRequestMessage(HttpMethod.Put, "/pricing/fees") { Content = JsonContent.Create(Schedule()) };
        put.Headers.IfMatch.ParseAdd("\"0\"");
        var set = await m.Operator().SendAsync(put);
        await Expect.Status(set, HttpStatusCode.OK);
        Assert.Equal("\"1\"", set.Headers.ETag!.Tag);

        var stale = new HttpRequestMessage(HttpMethod.Put, "/pricing/fees") { Content = JsonContent.Create(Schedule(100)) };
        stale.Headers.IfMatch.ParseAdd("\"0\"");
        await Expect.Problem(await m.Operator().SendAsync(stale), HttpStatusCode.PreconditionFailed);

        var current = (await member.GetFromJsonAsync<FeeScheduleVersion>("/pricing/fees", EmbeddedMarketplace.Json))!;
        Assert.Equal((1, 250, 600), (current.Version, current.Schedule.DefaultFeeBps!.Value, current.Schedule.FeeBpsFor("I", Marketplace.Contracts.Catalog.DataGrade.Important)));
        Assert.Equal(m.OperatorId, current.SetBy);

        // Without If-Match the schedule is not changed at all: a blind overwrite would be a lost update.
        await Expect.Problem(await m.Operator().PutAsJsonAsync("/pricing/fees", Schedule(200)), HttpStatusCode.PreconditionRequired);
        Assert.Equal(1, (await member.GetFromJsonAsync<FeeScheduleVersion>("/pricing/fees", EmbeddedMarketplace.Json))!.Version);

        var next = new HttpRequestMessage(HttpMethod.Put, "/pricing/fees") { Content = JsonContent.Create(Schedule(200)) };
        next.Headers.IfMatch.ParseAdd("\"1\"");
        await Expect.Status(await m.Operator().SendAsync(next), HttpStatusCode.OK);
        var history = (await m.Operator().GetFromJsonAsync<List<FeeScheduleVersion>>("/pricing/fees/history", EmbeddedMarketplace.Json))!;
        Assert.Equal([2, 1, 0], history.Select(h => h.Version));
        Assert.Equal((300, (Guid?)null), (history[^1].Schedule.DefaultFeeBps!.Value, history[^1].SetBy));
    }

    public static TheoryData<object, string> Invalid() => new()
    {
        { new { vatBps = 600 }, "defaultFeeBps" },
        { new { defaultFeeBps = 10_001, vatBps = 600 }, "defaultFeeBps" },
        { new { defaultFeeBps = 300 }, "vatBps" },
        { new { defaultFeeBps = 300, vatBps = 600, minimumFee = new Dictionary<string, long> { ["CNY"] = -1 } }, "minimumFee[0].value" },
        { new { defaultFeeBps = 300, vatBps = 600, rules = new object[] { new { feeBps = 100 } } }, "rules[0].rule" },
        { new { defaultFeeBps = 300, vatBps = 600, rules = new object[] { new { category = "Z", feeBps = 100 } } }, "rules[0].category" },
        { new { defaultFeeBps = 300, vatBps = 600, rules = new object[] { new { grade = "core", feeBps = 100 } } }, "rules[0].grade" },
        { new { defaultFeeBps = 300, vatBps = 600, rules = new object[] { new { category = "I", feeBps = 100 }, new { category = "I", feeBps = 200 } } }, "rules" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task An_invalid_schedule_is_refused_and_the_current_one_stays(object body, string field)
    {
        await using var m = new EmbeddedMarketplace();
        await Expect.ValidationProblem(await m.Operator().PutAsJsonAsync("/pricing/fees", body), field);
        var current = (await m.Operator().GetFromJsonAsync<FeeScheduleVersion>("/pricing/fees", EmbeddedMarketplace.Json))!;
        Assert.Equal(0, current.Version);
    }

    [Fact]
    public async Task Only_operators_set_the_schedule_or_read_its_history_and_only_callers_with_a_token_read_it()
    {
        await using var m = new EmbeddedMarketplace();
        var provider = (await ProductSteps.ForNewProviderAsync(m)).Provider;
        await Expect.Problem(await provider.PutAsJsonAsync("/pricing/fees", Schedule()), HttpStatusCode.Forbidden);
        await Expect.Problem(await provider.GetAsync("/pricing/fees/history"), HttpStatusCode.Forbidden);
        await Expect.Problem(await m.Anonymous().GetAsync("/pricing/fees"), HttpStatusCode.Unauthorized);
        await Expect.Status(await provider.GetAsync("/pricing/fees"), HttpStatusCode.OK);
    }
}
