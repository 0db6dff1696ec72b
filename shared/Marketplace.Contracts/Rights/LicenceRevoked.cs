namespace Marketplace.Contracts.Rights;

/// <summary>A licence was revoked (by an operator, or after an upheld dispute); access stops now.</summary>
public sealed record LicenceRevoked(Guid LicenceId, Guid OrderId, Guid LicenseeId, Guid ProductId, string Reason, DateTimeOffset RevokedAt);
