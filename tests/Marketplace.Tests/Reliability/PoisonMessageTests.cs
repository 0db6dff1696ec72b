using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Pricing;
using Marketplace.Settlement;
using Marketplace.Settlement.Orders;
using Marketplace.Tests.Support;
using Marketplace.Tests.Trades;

namespace Marketplace.Tests.Reliability;

/// <summary>
/// A message no retry can cure — here a quote request for a plan whose stored terms no longer parse — is given up after
/// a bounded number of attempts: the order ends Failed (its place in the exchange's capacity freed), the operator sees
/// the message per consumer and replays or discards it, once.
/// </summary>
public sealed class PoisonMessageTests
{
    private const string FailedMessages = "/pricing/audit/failed-messages";

    [Fact]
    public async Task A_message_that_always_fails_ends_its_order_and_waits_for_the_operator()
    {
        await using var s = TradeSteps.NewHost();
        var sale = await s.ProductForSaleAsync();
        var buyer = await s.BuyerAsync();
        var terms = await PlanTermsAsync(s, sale.PlanId);
        await SetPlanTermsAsync(s, sale.PlanId, "{\"kind\":"); // as if written by an older, buggy release

        var order = await s.OrderAsync(buyer, sale);
        var failed = await s.StatusAsync(buyer, order.Id, OrderStatus.Failed);
        Assert.Equal(OrderProgressConsumer.StepFailed, failed.Reason);
        Assert.Contains("pricing could not quote", failed.ReasonDetail);
        Assert.Contains("JsonException", failed.ReasonDetail);
        Assert.Equal(0, await s.M.CountAsync<SettlementDb>(OrderStore.InProgressSql));

        var summary = await s.M.Operator().GetFromJsonAsync<JsonElement>($"{FailedMessages}/summary");
        var row = Assert.Single(summary.EnumerateArray());
        Assert.Equal("IssueQuoteConsumer", row.GetProperty("consumer").GetString());
        Assert.Equal(1, row.GetProperty("count").GetInt64());
        Assert.Contains("JsonException", row.GetProperty("lastError").GetString());

        var list = await s.M.Operator().GetFromJsonAsync<JsonElement>($"{FailedMessages}?status=failed&consumer=IssueQuoteConsumer");
        var message = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(PoisonPolicy.DeterministicAttempts, message.GetProperty("attempts").GetInt32());
        Assert.Equal("pricing-issue-quote", message.GetProperty("queue").GetString());
        Assert.Contains(order.Id.ToString(), message.GetProperty("body").GetString());
        var id = message.GetProperty("id").GetGuid();

        // Operators only; a discard needs a reason.
        await Expect.Problem(await s.As(buyer, Roles.Buyer).GetAsync($"{FailedMessages}/summary"), HttpStatusCode.Forbidden);
        await Expect.Problem(await s.As(sale.ProviderId, Roles.Provider).PostAsync($"{FailedMessages}/{id}/replay", null), HttpStatusCode.Forbidden);
        await Expect.ValidationProblem(await s.M.Operator().PostAsJsonAsync($"{FailedMessages}/{id}/discard", new { reason = " " }), "reason");
        await Expect.Problem(await s.M.Operator().PostAsync($"{FailedMessages}/{Guid.CreateVersion7()}/replay", null), HttpStatusCode.NotFound);
        await Expect.ValidationProblem(await s.M.Operator().GetAsync($"{FailedMessages}?status=lost"), "status");

        // Mended, then replayed: the quote is made from the same request (its id derives from it); the ended order stays ended.
        await SetPlanTermsAsync(s, sale.PlanId, terms);
        var replayed = await s.M.Operator().PostAsync($"{FailedMessages}/{id}/replay", null);
        await Expect.Status(replayed, HttpStatusCode.OK);
        var resolved = await replayed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("replayed", resolved.GetProperty("status").GetString());
        Assert.Equal(s.M.OperatorId, resolved.GetProperty("resolvedBy").GetGuid());
        await Eventually.True(
            async () => await s.M.CountAsync<PricingDb>("SELECT COUNT(*) FROM pricing.quotes WHERE order_id = @Id", new { order.Id }) == 1,
            what: "the replayed request's quote");
        Assert.Equal(OrderStatus.Failed, (await s.StatusAsync(buyer, order.Id, OrderStatus.Failed)).Status);

        await Expect.Problem(await s.M.Operator().PostAsync($"{FailedMessages}/{id}/replay", null), HttpStatusCode.Conflict);
        await Expect.Problem(await s.M.Operator().PostAsJsonAsync($"{FailedMessages}/{id}/discard", new { reason = "重复" }), HttpStatusCode.Conflict);
        Assert.Empty((await s.M.Operator().GetFromJsonAsync<JsonElement>($"{FailedMessages}/summary")).EnumerateArray());
    }

    [Fact]
    public async Task A_discarded_message_is_kept_with_who_discarded_it_and_why()
    {
        await using var s = TradeSteps.NewHost();
        var sale = await s.ProductForSaleAsync();
        var buyer = await s.BuyerAsync();
        await SetPlanTermsAsync(s, sale.PlanId, "[]");
        var order = await s.OrderAsync(buyer, sale);
        await s.StatusAsync(buyer, order.Id, OrderStatus.Failed);

        var list = await s.M.Operator().GetFromJsonAsync<JsonElement>(FailedMessages);
        var id = Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid();
        var discarded = await s.M.Operator().PostAsJsonAsync($"{FailedMessages}/{id}/discard", new { reason = "计划条款已删除" });
        await Expect.Status(discarded, HttpStatusCode.OK);
        var body = await discarded.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("discarded", "计划条款已删除"), (body.GetProperty("status").GetString(), body.GetProperty("note").GetString()));
        Assert.Equal(0, await s.M.CountAsync<PricingDb>("SELECT COUNT(*) FROM pricing.quotes WHERE order_id = @Id", new { order.Id }));
        Assert.Single((await s.M.Operator().GetFromJsonAsync<JsonElement>($"{FailedMessages}?status=discarded")).GetProperty("items").EnumerateArray());
        Assert.Empty((await s.M.Operator().GetFromJsonAsync<JsonElement>($"{FailedMessages}?status=failed")).GetProperty("items").EnumerateArray());
    }

    private static async Task<string> PlanTermsAsync(TradeSteps s, Guid plan)
    {
        await using var connection = await s.M.Get<PricingDb>().OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection, "SELECT terms FROM pricing.price_plans WHERE id = @plan", new { plan }) ?? "";
    }

    private static async Task SetPlanTermsAsync(TradeSteps s, Guid plan, string terms)
    {
        await using var connection = await s.M.Get<PricingDb>().OpenAsync();
        await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE pricing.price_plans SET terms = @terms WHERE id = @plan", new { plan, terms });
    }
}
