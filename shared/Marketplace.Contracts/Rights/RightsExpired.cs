namespace Marketplace.Contracts.Rights;

/// <summary>A registration certificate reached the end of its term without renewal.</summary>
public sealed record RightsExpired(string Number, Guid RegistrationId, Guid ProductId, DateTimeOffset ExpiredAt);
