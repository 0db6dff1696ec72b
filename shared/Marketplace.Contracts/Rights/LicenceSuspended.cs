namespace Marketplace.Contracts.Rights;

/// <summary>An operator suspended a licence: access stops until it is reinstated (<see cref="LicenceReinstated"/>).</summary>
public sealed record LicenceSuspended(Guid LicenceId, Guid OrderId, Guid LicenseeId, Guid ProductId, string Reason, DateTimeOffset SuspendedAt);
