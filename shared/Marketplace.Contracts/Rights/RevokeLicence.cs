namespace Marketplace.Contracts.Rights;

/// <summary>Settlement asks rights to revoke the licence of an order it refunded in full (an upheld dispute).</summary>
public sealed record RevokeLicence(Guid OrderId, string Reason);
