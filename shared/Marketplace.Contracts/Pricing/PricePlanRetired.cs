namespace Marketplace.Contracts.Pricing;

/// <summary>A provider retired a price plan: no new quotes on it; quotes already issued keep their terms.</summary>
public sealed record PricePlanRetired(Guid PlanId, Guid ProductId, int Revision, DateTimeOffset RetiredAt);
