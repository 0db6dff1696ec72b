using System.Text.Json;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Pricing;
using Marketplace.Contracts.Settlement;
using Marketplace.Pricing.Fees;
using Marketplace.Pricing.Plans;
using Marketplace.Pricing.Products;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Marketplace.Pricing.Quotes;

/// <summary>
/// Answers settlement's <see cref="IssueQuote"/>: prices the order under the plan's current revision and the current
/// fee schedule, stores the quote with a copy of both (so nothing changes it later) and publishes
/// <see cref="QuoteIssued"/>; or publishes <see cref="QuoteRefused"/> with a stable reason code. Once per request id
/// (inbox; the quote id is derived from it). A request it gives up on ends the order (<see cref="OrderStepFailed"/>).
/// </summary>
public sealed class IssueQuoteConsumer(Inbox<PricingDb> inbox, TimeProvider time, IOptions<PricingOptions> options) : IConsumer<IssueQuote>
{
    private const string BuyerSql = "SELECT COUNT(*) FROM pricing.participants WHERE id = @Id AND status = 'Active' AND (roles & @Buyer) <> 0";

    private readonly TimeSpan validFor = options.Value.Quotes.ValidFor;

    public Task Consume(ConsumeContext<IssueQuote> context) =>
        inbox.ProcessOnceAsync(context, nameof(IssueQuoteConsumer), async uow =>
        {
            var request = context.Message;
            var now = time.GetUtcNow();
            var outcome = await DecideAsync(uow, request, now);
            await uow.PublishAsync(outcome, now);
        },
        (uow, givenUp) => uow.PublishAsync(new OrderStepFailed(givenUp.Message.OrderId, PricingModule.Name, "quote", givenUp.Error, givenUp.Now), givenUp.Now));

    private async Task<object> DecideAsync(UnitOfWork uow, IssueQuote request, DateTimeOffset now)
    {
        QuoteRefused Refuse(string code, string message) => new(request.RequestId, request.OrderId, code, message, now);

        if (HolderProblem(request) is { } holders)
        {
            return Refuse("invalid-holders", holders);
        }

        var product = await ProductDirectory.FindAsync(uow, request.ProductId);
        if (product is not { Status: ProductStatus.Listed })
        {
            return Refuse("product-not-listed", "The product is not listed.");
        }

        var plan = await PlanStore.FindAsync(uow, request.PlanId);
        if (plan is null || plan.ProductId != request.ProductId)
        {
            return Refuse("plan-not-found", "The product has no such price plan.");
        }

        if (plan.Status != PlanStatus.Published)
        {
            return Refuse("plan-retired", "The price plan is retired.");
        }

        if (await uow.ExecuteScalarAsync<long>(BuyerSql, new { Id = request.BuyerId, Buyer = (int)ParticipantRoles.Buyer }) == 0)
        {
            return Refuse("buyer-not-active", "The buyer is not an admitted, active buyer.");
        }

        var quoteId = DeterministicId.From(request.RequestId, "quote");
        if (plan.Kind == PlanKind.Trial && await QuoteStore.TrialUsedAsync(uow, request.BuyerId, request.ProductId))
        {
            return Refuse("trial-already-used", "The buyer has already had a trial of this product.");
        }

        var fees = await FeeStore.CurrentAsync(uow);
        var terms = PlanTerms.FromJson(plan.Terms);
        var result = QuoteCalculator.Price(terms, request.Quantity, fees.Schedule, product.Category, product.Grade, request.Holders);
        if (result.Refusal is { } refusal)
        {
            return Refuse(refusal.Code, refusal.Message);
        }

        var p = result.Priced!;
        var quote = new Quote
        {
            Id = quoteId,
            RequestId = request.RequestId,
            OrderId = request.OrderId,
            BuyerId = request.BuyerId,
            SellerId = product.OwnerId,
            ProductId = product.Id,
            PlanId = plan.Id,
            PlanRevision = plan.Revision,
            PlanTerms = plan.Terms,
            FeeSchedule = fees.Version,
            Quantity = request.Quantity,
            Currency = plan.Currency,
            Amount = p.Amount,
            FeeBps = p.FeeBps,
            ExchangeFee = p.ExchangeFee,
            VatBps = p.VatBps,
            Tax = p.Tax,
            Total = p.Total,
            Payouts = JsonSerializer.Serialize(p.Payouts, PlanTerms.Json),
            TermUnit = p.TermUnit,
            TermLength = p.TermLength,
            IssuedAt = now,
            ValidUntil = now + validFor,
        };
        await QuoteStore.InsertAsync(uow, quote);
        if (plan.Kind == PlanKind.Trial)
        {
            // Keyed by (buyer, product): a concurrent second trial fails here, is retried, and is then refused above.
            await QuoteStore.UseTrialAsync(uow, request.BuyerId, request.ProductId, quote.Id, now);
        }

        return new QuoteIssued(
            quote.Id, request.RequestId, request.OrderId, request.BuyerId, product.Id, plan.Id, plan.Revision, plan.Kind, request.Quantity,
            plan.Currency, p.Amount, p.ExchangeFee, p.Tax, p.Total, p.Payouts, p.TermUnit, p.TermLength, now, quote.ValidUntil);
    }

    private static string? HolderProblem(IssueQuote request)
    {
        var holders = request.Holders ?? [];
        if (holders.Count is 0 or > 20)
        {
            return "A trade has 1 to 20 rights holders.";
        }

        if (holders.Any(h => h.ShareBps is < 1 or > 10_000) || holders.Sum(h => (long)h.ShareBps) != 10_000)
        {
            return "Holders' shares must be positive and sum to exactly 10,000 basis points.";
        }

        return holders.Select(h => h.HolderId).Distinct().Count() != holders.Count ? "A holder may appear once." : null;
    }
}
