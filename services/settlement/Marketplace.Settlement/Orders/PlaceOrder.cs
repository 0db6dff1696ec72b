using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using FluentValidation;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Settlement;
using Marketplace.Settlement.Journal;
using Marketplace.Settlement.Products;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Settlement.Orders;

/// <summary>
/// <c>POST /settlement/orders</c> (buyer): request access to a listed product under one of its plans, for a purpose,
/// a quantity (terms, periods or units as the plan counts them) and optionally exclusively. The order starts
/// Requested and publishes <see cref="OrderPlaced"/> in the same transaction: rights decides access and pricing quotes,
/// in parallel. While the
/// exchange has as many orders in progress as it takes, a new one gets 503 (<see cref="OrderAdmission"/>).
/// <c>Idempotency-Key</c> accepted: the same key and body give the same order, another body 422.
/// </summary>
internal static class PlaceOrder
{
    /// <summary>Orders a buyer may place per second (<c>Settlement:Orders:RequestsPerSecond</c>); more get 429.</summary>
    public const string RateLimitPolicy = "settlement-orders";

    public static async Task<Results<Created<OrderResponse>, Ok<OrderResponse>, ProblemHttpResult>> Handle(
        OrderRequest request, HttpRequest http, ClaimsPrincipal user, GroupCommitter<SettlementDb> committer, OrderAdmission admission, TimeProvider time,
        CancellationToken ct)
    {
        var buyer = user.ParticipantId()!.Value;
        var (id, badKey) = IdempotencyKey.ResourceId(http, "order", buyer, time);
        if (badKey is not null)
        {
            return badKey;
        }

        if (await admission.RefuseAsync(http.HttpContext.Response, ct) is { } atCapacity)
        {
            return atCapacity;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{request.ProductId}|{request.PlanId}|{request.Quantity}|{request.Purpose}|{request.Exclusive}")));
        return await committer.RunAsync<Results<Created<OrderResponse>, Ok<OrderResponse>, ProblemHttpResult>>(
            async uow =>
            {
                if (await OrderStore.FindAsync(uow, id) is { } existing)
                {
                    return existing.RequestHash == hash ? TypedResults.Ok(existing.ToResponse()) : IdempotencyKey.Reused();
                }

                var product = await ProductDirectory.FindAsync(uow, request.ProductId!.Value);
                if (product is null)
                {
                    return Problems.NotFound("The listed product");
                }

                if (product.Status != ProductStatus.Listed)
                {
                    return Problems.IllegalTransition("order the product", product.Status.ToString());
                }

                if (product.OwnerId == buyer)
                {
                    return Problems.Conflict("A provider does not buy its own product.");
                }

                if (await admission.RefuseForBuyerAsync(uow, buyer, http.HttpContext.Response) is { } buyerAtCapacity)
                {
                    return buyerAtCapacity;
                }

                var now = time.GetUtcNow();
                var order = new Order
                {
                    Id = id,
                    BuyerId = buyer,
                    SellerId = product.OwnerId,
                    ProductId = product.Id,
                    Category = product.Category,
                    Grade = product.Grade.ToString(),
                    PlanId = request.PlanId!.Value,
                    Quantity = request.Quantity!.Value,
                    Purpose = request.Purpose!.Trim(),
                    Exclusive = request.Exclusive,
                    RequestHash = hash,
                    Status = OrderStatus.Requested,
                    Version = 1,
                    CreatedAt = now,
                    UpdatedAt = now,
                };
                await OrderStore.InsertAsync(uow, order);
                await TradeJournal.AppendAsync(uow, null, order, buyer, now);
                await uow.PublishAsync(new OrderPlaced(order.Id, buyer, product.Id, order.PlanId, order.Quantity, order.Purpose, order.Exclusive, now), now);
                return TypedResults.Created($"/settlement/orders/{order.Id}", order.ToResponse());
            },
            ct);
    }
}

public sealed record OrderRequest(Guid? ProductId, Guid? PlanId, long? Quantity, string? Purpose, bool Exclusive);

internal sealed class OrderRequestValidator : AbstractValidator<OrderRequest>
{
    public OrderRequestValidator()
    {
        RuleFor(r => r.ProductId).NotNull().NotEqual(Guid.Empty);
        RuleFor(r => r.PlanId).NotNull().NotEqual(Guid.Empty);
        RuleFor(r => r.Quantity).NotNull().InclusiveBetween(1, 1_000_000_000_000);
        RuleFor(r => r.Purpose).NotEmpty().MaximumLength(500);
    }
}
