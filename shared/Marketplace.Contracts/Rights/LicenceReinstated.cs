namespace Marketplace.Contracts.Rights;

/// <summary>An operator lifted a licence's suspension.</summary>
public sealed record LicenceReinstated(Guid LicenceId, Guid OrderId, Guid LicenseeId, Guid ProductId, DateTimeOffset ReinstatedAt);
