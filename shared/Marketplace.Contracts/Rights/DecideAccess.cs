namespace Marketplace.Contracts.Rights;

/// <summary>
/// Settlement asks whether a buyer may have a product for an order: answered by <see cref="AccessApproved"/>,
/// <see cref="AccessRejected"/> or <see cref="AccessAwaitingProvider"/> (then, later, approved or rejected).
/// </summary>
public sealed record DecideAccess(Guid OrderId, Guid BuyerId, Guid ProductId, string Purpose, bool Exclusive);
