namespace Marketplace.Contracts.Settlement;

/// <summary>A completed trade's voucher (交易凭证) was issued and signed; anyone can verify it by its number.</summary>
public sealed record VoucherIssued(string Number, Guid OrderId, Guid BuyerId, Guid SellerId, Guid ProductId, long JournalPosition, string JournalHash, DateTimeOffset IssuedAt);
