using FluentValidation;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Pricing;
using Marketplace.Contracts.Rights;
using Marketplace.Pricing.Fees;
using Marketplace.Pricing.Plans;
using Marketplace.Pricing.Products;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Pricing.Quotes;

/// <summary>
/// <c>POST /pricing/products/{productId}/estimate</c> (anyone admitted): what a quantity under a published plan would
/// cost today — amount, fee, tax, total, term — computed exactly as a quote is, but binding nothing and stored nowhere.
/// A binding quote comes only for an approved order.
/// </summary>
internal static class EstimatePrice
{
    public static async Task<Results<Ok<Estimate>, ProblemHttpResult>> Handle(
        Guid productId, EstimateRequest request, PricingDb db, CancellationToken ct)
    {
        await using var uow = await db.ReadAsync(ct);
        var product = await ProductDirectory.FindAsync(uow, productId);
        var plan = await PlanStore.FindAsync(uow, request.PlanId!.Value);
        if (product is null || plan is null || plan.ProductId != productId || plan.Status != PlanStatus.Published)
        {
            return Problems.NotFound("The published price plan of this product");
        }

        var fees = await FeeStore.CurrentAsync(uow);
        var result = QuoteCalculator.Price(
            PlanTerms.FromJson(plan.Terms), request.Quantity!.Value, fees.Schedule, product.Category, product.Grade);
        if (result.Refusal is { } refusal)
        {
            return TypedResults.Problem(refusal.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Cannot be priced",
                extensions: new Dictionary<string, object?> { ["reason"] = refusal.Code, ["errors"] = new Dictionary<string, string[]> { ["quantity"] = [refusal.Message] } });
        }

        var p = result.Priced!;
        return TypedResults.Ok(new Estimate(plan.Id, plan.Revision, request.Quantity.Value, plan.Currency, p.Amount, p.FeeBps, p.ExchangeFee, p.VatBps, p.Tax, p.Total,
            p.TermUnit, p.TermLength, fees.Version));
    }
}

public sealed record EstimateRequest(Guid? PlanId, long? Quantity);

public sealed record Estimate(
    Guid PlanId, int PlanRevision, long Quantity, string Currency, long Amount, int FeeBps, long ExchangeFee, int VatBps, long Tax, long Total,
    TermUnit TermUnit, int TermLength, int FeeSchedule);

internal sealed class EstimateRequestValidator : AbstractValidator<EstimateRequest>
{
    public EstimateRequestValidator()
    {
        RuleFor(r => r.PlanId).NotNull().NotEqual(Guid.Empty);
        RuleFor(r => r.Quantity).NotNull().InclusiveBetween(1, PlanTerms.MaxUnits);
    }
}
