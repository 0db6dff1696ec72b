using System.Security.Claims;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Pricing.Comparables;
using Marketplace.Pricing.Plans;
using Marketplace.Pricing.Products;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Pricing.Valuation;

/// <summary>
/// Valuations are for the product's provider and for operators; to anyone else the product's valuations do not exist.
/// <c>POST /pricing/products/{productId}/valuations</c> values by one method and keeps inputs, steps and value;
/// <c>GET /pricing/products/{productId}/valuations</c> compares the latest of each method side by side;
/// <c>GET /pricing/valuations/{id}</c> reads one.
/// </summary>
internal static class ValueProduct
{
    public const int HistoryLimit = 100;

    public static async Task<Results<Created<ValuationResponse>, ProblemHttpResult>> Create(
        Guid productId, ValuationRequest request, ClaimsPrincipal user, PricingDb db, GroupCommitter<PricingDb> committer, TimeProvider time, CancellationToken ct)
    {
        var product = await ProductDirectory.FindAsync(db, productId, ct);
        if (product is null || !user.MaySee(product.OwnerId))
        {
            return Problems.NotFound("The product");
        }

        var now = time.GetUtcNow();
        var currency = request.Currency ?? PlanTerms.DefaultCurrency;
        ValuationResult result;
        switch (request.Method!.Value)
        {
            case ValuationMethod.Cost:
                result = CostMethod.Value(request.Cost!);
                break;
            case ValuationMethod.Income:
                result = IncomeMethod.Value(request.Income!);
                break;
            default:
                var comparables = await ComparableTrades.FindAsync(
                    db, product.Category, currency, now.AddDays(-(request.Market!.LookbackDays ?? 365)), now, MarketMethod.MaxComparables, ct);
                if (comparables.Count == 0)
                {
                    return TypedResults.Problem(
                        $"No trade in category {product.Category} settled in {currency} over the period: the market method has no comparables.",
                        statusCode: StatusCodes.Status422UnprocessableEntity, title: "No comparable trades");
                }

                result = MarketMethod.Value(request.Market, comparables, now);
                break;
        }

        if (!result.InRange)
        {
            var field = request.Method.Value.ToString().ToLowerInvariant();
            var message = $"The value comes to {Format.Num(Math.Round(result.Exact))} minor units, beyond the {Money.MaxAmount} an amount may be.";
            return TypedResults.Problem(message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Value out of range",
                extensions: new Dictionary<string, object?> { ["reason"] = "amount-too-large", ["errors"] = new Dictionary<string, string[]> { [field] = [message] } });
        }

        var valuation = new ValuationResponse(
            Guid.CreateVersion7(now), productId, request.Method.Value, currency, result.Value, request with { Currency = currency }, result.Steps,
            user.ParticipantId()!.Value, now);
        return await committer.RunAsync<Results<Created<ValuationResponse>, ProblemHttpResult>>(
            async uow =>
            {
                await ValuationStore.InsertAsync(uow, valuation);
                return TypedResults.Created($"/pricing/valuations/{valuation.Id}", valuation);
            },
            ct);
    }

    public static async Task<Results<Ok<ValuationResponse>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal user, PricingDb db, CancellationToken ct)
    {
        var valuation = await ValuationStore.FindAsync(db, id, ct);
        var product = valuation is null ? null : await ProductDirectory.FindAsync(db, valuation.ProductId, ct);
        return product is null || !user.MaySee(product.OwnerId) ? Problems.NotFound("The valuation") : TypedResults.Ok(valuation!);
    }

    public static async Task<Results<Ok<ValuationComparison>, ProblemHttpResult>> Compare(
        Guid productId, ClaimsPrincipal user, PricingDb db, CancellationToken ct)
    {
        var product = await ProductDirectory.FindAsync(db, productId, ct);
        if (product is null || !user.MaySee(product.OwnerId))
        {
            return Problems.NotFound("The product");
        }

        var history = await ValuationStore.ByProductAsync(db, productId, HistoryLimit, ct);
        ValuationResponse? Latest(ValuationMethod method) => history.FirstOrDefault(v => v.Method == method);
        return TypedResults.Ok(new ValuationComparison(Latest(ValuationMethod.Cost), Latest(ValuationMethod.Income), Latest(ValuationMethod.Market), history));
    }
}
