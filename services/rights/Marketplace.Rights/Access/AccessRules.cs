using Dapper;
using Marketplace.BuildingBlocks.Data;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Rights;
using Marketplace.Rights.Certificates;
using Marketplace.Rights.Licences;
using Marketplace.Rights.Participants;
using Marketplace.Rights.Products;

namespace Marketplace.Rights.Access;

/// <summary>
/// Whether a buyer may have a product now, rule by rule, every rule evaluated (so an explanation lists them all) and
/// the first failure deciding. Each failure has a stable code. Used for an order placed (<see cref="Contracts.Settlement.OrderPlaced"/>), for
/// a provider's late approval, and for <c>GET /rights/access/explain</c>: one set of rules, three callers.
/// </summary>
public static class AccessRules
{
    private const string AssessmentSql = """
        SELECT COUNT(*) FROM rights.security_assessments WHERE product_id = @ProductId AND valid_until > @Now
        """;

    /// <summary>Evaluates every rule; <paramref name="orderId"/> is the order being decided, whose own reservation does not count against it.</summary>
    public static async Task<AccessEvaluation> EvaluateAsync(UnitOfWork uow, Guid buyerId, Guid productId, bool exclusive, DateTimeOffset now, Guid? orderId = null)
    {
        var product = await ProductDirectory.FindAsync(uow, productId);
        var buyer = await ParticipantDirectory.FindAsync(uow, buyerId);
        var certificate = product is null ? null : await CertificateStore.OperatingRightAsync(uow, product.Id, product.OwnerId, now);
        var rules = new List<RuleOutcome>
        {
            Check("product-listed", product is { Status: ProductStatus.Listed }, "product-not-listed", "The product is listed.",
                product is null ? "The product is not listed." : $"The product is {product.Status}."),
            Check("seller-operating-right", certificate is not null, "seller-not-certified",
                "The seller holds a certified, unexpired operating right (经营权) over the product.",
                "The seller must hold a certified, unexpired operating right (经营权) over the product."),
            Check("buyer-admitted", buyer is not null && buyer.Roles.HasFlag(ParticipantRoles.Buyer), "buyer-not-admitted",
                "The buyer is an admitted buyer.", "The buyer is not an admitted buyer."),
            Check("buyer-active", buyer is { Status: "Active" }, "buyer-suspended", "The buyer is active.",
                buyer is null ? "The buyer is not known here." : "The buyer is suspended."),
            Qualification(product, buyer),
        };

        if (exclusive)
        {
            rules.Add(Check("exclusive-allowed", product is { ExclusiveAllowed: true }, "exclusive-not-allowed",
                "The provider sells exclusive licences of this product.", "The provider does not sell exclusive licences of this product."));
            rules.Add(Check("no-live-licence", product is null || !await LicenceStore.AnyLiveAsync(uow, product.Id, now),
                "exclusive-conflict", "No other licence on the product is in force.",
                "An exclusive licence needs no other licence on the product to be in force."));
            rules.Add(Check("no-order-in-progress", product is null || !await Reservations.HeldByOthersAsync(uow, product.Id, orderId, exclusiveOnly: false),
                "exclusive-conflict", "No other order for the product is in progress.",
                "An exclusive licence needs no other order for the product to be in progress."));
        }
        else
        {
            rules.Add(Check("no-exclusive-licence", product is null || !await LicenceStore.ExclusiveLiveAsync(uow, product.Id, now),
                "exclusive-licence-active", "No exclusive licence on the product is in force.", "An exclusive licence on the product is in force."));
            rules.Add(Check("no-exclusive-order", product is not { ExclusiveAllowed: true } || !await Reservations.HeldByOthersAsync(uow, product.Id, orderId, exclusiveOnly: true),
                "exclusive-reserved", "No exclusive order for the product is in progress.", "An exclusive order for the product is in progress."));
        }

        rules.Add(await CrossBorderAsync(uow, product, buyer, now));
        var manual = product is { RequiresManualApproval: true };
        rules.Add(new RuleOutcome("provider-approval", manual ? "required" : "not-required", null,
            manual ? "The provider approves each request for this product." : "No approval by the provider is needed."));
        var failed = rules.FirstOrDefault(r => r.Outcome == "fail");
        var decision = failed is not null ? "rejected" : manual ? "awaiting-provider" : "approved";
        return new AccessEvaluation(decision, failed?.Code, failed?.Message, rules, product, certificate);
    }

    private static RuleOutcome Qualification(KnownProduct? product, KnownParticipant? buyer)
    {
        if (product is null || buyer is null)
        {
            return new RuleOutcome("qualification", "not-applicable", null, "Needs a known product and buyer.");
        }

        var needed = product.Grade == DataGrade.General ? QualificationLevel.Basic : QualificationLevel.Qualified;
        var message = product.Grade == DataGrade.Core
            ? "Core data is never traded."
            : $"{product.Grade} data needs a {needed.ToString().ToLowerInvariant()} buyer; this buyer is {buyer.Qualification?.ToString().ToLowerInvariant() ?? "not graded"}.";
        return Check("qualification", product.Grade != DataGrade.Core && buyer.Qualification >= needed, "qualification-insufficient", message, message);
    }

    /// <summary>A buyer outside the mainland gets no important or personal data unless a security assessment is on record.</summary>
    internal static async Task<RuleOutcome> CrossBorderAsync(UnitOfWork uow, KnownProduct? product, KnownParticipant? buyer, DateTimeOffset now)
    {
        if (product is null || buyer is null || buyer.Jurisdiction == Jurisdiction.Mainland
            || (product.Grade != DataGrade.Important && product.Subject != DataSubject.Personal))
        {
            return new RuleOutcome("cross-border", "not-applicable", null, "Not a cross-border transfer of important or personal data.");
        }

        var assessed = await uow.Connection.ExecuteScalarAsync<long>(AssessmentSql, new { ProductId = product.Id, Now = now }, uow.Transaction) > 0;
        return Check("cross-border", assessed, "cross-border-assessment-missing",
            "A security assessment of the product is on record, so a buyer outside the mainland may have it.",
            "A buyer outside the mainland gets important or personal data only with a security assessment of the product on record.");
    }

    /// <summary>A rule's outcome in the words of that outcome: what holds when it passes, what is missing when it fails.</summary>
    private static RuleOutcome Check(string rule, bool passed, string code, string whenPassed, string whenFailed) =>
        passed ? new RuleOutcome(rule, "pass", null, whenPassed) : new RuleOutcome(rule, "fail", code, whenFailed);
}

/// <summary>One rule's outcome: <c>pass</c>, <c>fail</c> (with its code), <c>not-applicable</c>, or for approval <c>required</c>/<c>not-required</c>.</summary>
public sealed record RuleOutcome(string Rule, string Outcome, string? Code, string Message);

public sealed record AccessEvaluation(
    string Decision, string? Reason, string? Message, IReadOnlyList<RuleOutcome> Rules, KnownProduct? Product, Certificate? Certificate);
