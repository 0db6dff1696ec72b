namespace Marketplace.Contracts.Rights;

/// <summary>Rights could not grant the licence for a settled order (e.g. <c>exclusive-conflict</c>); settlement refunds.</summary>
public sealed record LicenceRefused(Guid OrderId, Guid LicenseeId, Guid ProductId, string Reason, string Message, DateTimeOffset RefusedAt);
