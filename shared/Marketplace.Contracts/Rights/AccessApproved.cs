namespace Marketplace.Contracts.Rights;

/// <summary>The buyer may have the product: the seller and the holders with the shares settlement splits proceeds by.</summary>
public sealed record AccessApproved(
    Guid OrderId,
    Guid BuyerId,
    Guid ProductId,
    Guid SellerId,
    string CertificateNumber,
    IReadOnlyList<HolderShare> Holders,
    bool Exclusive,
    DateTimeOffset DecidedAt);
