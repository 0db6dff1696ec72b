namespace Marketplace.Contracts.Rights;

/// <summary>A licence reached the end of its term; access stops now.</summary>
public sealed record LicenceExpired(Guid LicenceId, Guid OrderId, Guid LicenseeId, Guid ProductId, DateTimeOffset ExpiredAt);
