using Marketplace.BuildingBlocks.Data;
using Marketplace.Contracts.Catalog;
using Marketplace.Rights.Access;
using Marketplace.Rights.Licences;
using Marketplace.Rights.Participants;
using Marketplace.Rights.Products;
using Microsoft.Extensions.Options;

namespace Marketplace.Rights.Delivery;

/// <summary>
/// The rules again at delivery, because the facts may have changed since the licence was granted: the licence is
/// active and in its term; its holder is an active participant; the product is not suspended (a delisted product's
/// licences run to their end) and offers the method; important data is never delivered raw (only by computation);
/// a buyer outside the mainland gets important or personal data only with a security assessment on record (the access
/// decision's own rule). Personal data is listed only with its anonymisation or consent evidence declared, so a listed
/// product carries it. Decisions are trusted for <see cref="DeliverySettings.DecisionTtl"/> (≤ 1 s) per instance, so
/// a revocation, suspension, expiry or refund on any instance cuts access within that time.
/// </summary>
public sealed class DeliveryGate(RightsDb db, TimeProvider time, IOptions<DeliverySettings> options)
{
    private readonly DecisionCache<(Guid, DeliveryMethod), DeliveryDecision> decisions = new(options.Value.DecisionTtl);

    /// <summary>Whether the licence's data may be delivered by <paramref name="method"/> now; null when there is no such licence.</summary>
    public Task<DeliveryDecision?> CheckAsync(Guid licenceId, DeliveryMethod method, CancellationToken ct) =>
        decisions.GetAsync((licenceId, method), async () =>
        {
            await using var uow = await db.ReadAsync(ct);
            return await DecideAsync(uow, licenceId, method, time.GetUtcNow());
        });

    private static async Task<DeliveryDecision?> DecideAsync(UnitOfWork uow, Guid licenceId, DeliveryMethod method, DateTimeOffset now)
    {
        var licence = await LicenceStore.FindAsync(uow, licenceId);
        if (licence is null)
        {
            return null;
        }

        var product = await ProductDirectory.FindAsync(uow, licence.ProductId);
        var buyer = await ParticipantDirectory.FindAsync(uow, licence.LicenseeId);
        var refusal = licence.Status switch
        {
            LicenceStatus.Suspended => new DeliveryRefusal("licence-suspended", $"The licence is suspended: {licence.StatusReason}"),
            LicenceStatus.Revoked => new DeliveryRefusal("licence-revoked", $"The licence is revoked: {licence.StatusReason}"),
            LicenceStatus.Expired => new DeliveryRefusal("licence-expired", $"The licence ended at {licence.EndsAt:O}."),
            _ when now >= licence.EndsAt => new DeliveryRefusal("licence-expired", $"The licence ended at {licence.EndsAt:O}."),
            _ when now < licence.StartsAt => new DeliveryRefusal("licence-not-started", $"The licence starts at {licence.StartsAt:O}."),
            _ when buyer is not { Status: "Active" } => new DeliveryRefusal("buyer-suspended", "The licensee is not an active participant."),
            _ when product is null => new DeliveryRefusal("product-unknown", "The product is not known here."),
            _ when product.Status == ProductStatus.Suspended => new DeliveryRefusal("product-suspended", "The product is suspended."),
            _ when product.Grade is DataGrade.Important or DataGrade.Core => new DeliveryRefusal(
                "important-data-computation-only", $"{product.Grade} data is delivered only by computation inside the exchange, never as raw files or API access."),
            _ when !product.Delivers(method) => new DeliveryRefusal(
                "method-not-offered", $"The product is not delivered by {method}; its listing offers {(product.DeliveryMethods.Length == 0 ? "no known method" : product.DeliveryMethods)}."),
            _ => null,
        };
        if (refusal is null && product is not null)
        {
            var crossBorder = await AccessRules.CrossBorderAsync(uow, product, buyer, now);
            if (crossBorder.Outcome == "fail")
            {
                refusal = new DeliveryRefusal(crossBorder.Code!, crossBorder.Message);
            }
        }

        return new DeliveryDecision(licence, product, refusal);
    }
}

/// <summary>The licence and product as delivery sees them, and why it may not deliver (null: it may).</summary>
public sealed record DeliveryDecision(Licence Licence, KnownProduct? Product, DeliveryRefusal? Refusal);

/// <summary>A rule that refuses delivery now: a stable code and the reason in words.</summary>
public sealed record DeliveryRefusal(string Code, string Message)
{
    public Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult ToProblem() => Microsoft.AspNetCore.Http.TypedResults.Problem(
        Message, statusCode: Microsoft.AspNetCore.Http.StatusCodes.Status403Forbidden, title: "Not deliverable now",
        extensions: new Dictionary<string, object?> { ["reason"] = Code });
}
