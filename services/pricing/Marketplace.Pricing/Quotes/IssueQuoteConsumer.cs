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
/// Quotes an order placed (<see cref="OrderPlaced"/>, in parallel with rights' access decision) or asked for again
/// (<see cref="IssueQuote"/>, when the first lapsed while the provider decided): prices it under the plan's current
/// revision and the current fee schedule, stores the quote with a copy of both (so nothing changes it later) and
/// publishes <see cref="QuoteIssued"/> — amount, fee, tax and term; settlement splits the proceeds — or
/// <see cref="QuoteRefused"/> with a stable reason code. Once per request (inbox; the quote id is derived from the
/// request id). A request it gives up on ends the order (<see cref="OrderStepFailed"/>).
/// </summary>
public sealed class IssueQuoteConsumer(Inbox<PricingDb> inbox, TimeProvider time, IOptions<PricingOptions> options) : IConsumer<OrderPlaced>, IConsumer<IssueQuote>
{
    private const string BuyerSql = "SELECT COUNT(*) FROM pricing.participants WHERE id = @Id AND status = 'Active' AND (roles & @Buyer) <> 0";

    private readonly TimeSpan validFor = options.Value.Quotes.ValidFor;

    /// <summary>The first quote of an order: its request id is derived from the order's.</summary>
    public static Guid FirstRequestId(Guid orderId) => DeterministicId.From(orderId, "quote");

    public Task Consume(ConsumeContext<OrderPlaced> context)
    {
        var o = context.Message;
        return QuoteOnceAsync(context, new IssueQuote(FirstRequestId(o.OrderId), o.OrderId, o.BuyerId, o.ProductId, o.PlanId, o.Quantity));
    }

    public Task Consume(ConsumeContext<IssueQuote> context) => QuoteOnceAsync(context, context.Message);

    private Task QuoteOnceAsync<T>(ConsumeContext<T> context, IssueQuote request)
        where T : class =>
        inbox.ProcessOnceAsync(context, nameof(IssueQuoteConsumer), async uow =>
        {
            var now = time.GetUtcNow();
            await uow.PublishAsync(await DecideAsync(uow, request, now), now);
        },
        (uow, givenUp) => uow.PublishAsync(new OrderStepFailed(request.OrderId, PricingModule.Name, "quote", givenUp.Error, givenUp.Now), givenUp.Now));

    private async Task<object> DecideAsync(UnitOfWork uow, IssueQuote request, DateTimeOffset now)
    {
        QuoteRefused Refuse(string code, string message) => new(request.RequestId, request.OrderId, code, message, now);

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
        var trial = plan.Kind == PlanKind.Trial ? await QuoteStore.TrialOrderAsync(uow, request.BuyerId, request.ProductId) : null;
        if (trial is { } usedBy && usedBy != request.OrderId)
        {
            return Refuse("trial-already-used", "The buyer has already had a trial of this product.");
        }

        var fees = await FeeStore.CurrentAsync(uow);
        var terms = PlanTerms.FromJson(plan.Terms);
        var result = QuoteCalculator.Price(terms, request.Quantity, fees.Schedule, product.Category, product.Grade);
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
            TermUnit = p.TermUnit,
            TermLength = p.TermLength,
            IssuedAt = now,
            ValidUntil = now + validFor,
        };
        await QuoteStore.InsertAsync(uow, quote);
        if (plan.Kind == PlanKind.Trial && trial is null)
        {
            // Keyed by (buyer, product): a concurrent second trial fails here, is retried, and is then refused above.
            await QuoteStore.UseTrialAsync(uow, request.BuyerId, request.ProductId, quote.Id, now);
        }

        return new QuoteIssued(
            quote.Id, request.RequestId, request.OrderId, request.BuyerId, product.Id, plan.Id, plan.Revision, plan.Kind, request.Quantity,
            plan.Currency, p.Amount, p.ExchangeFee, p.Tax, p.Total, p.TermUnit, p.TermLength, now, quote.ValidUntil);
    }
}
