namespace Marketplace.Contracts.Rights;

/// <summary>An operator revoked a registration certificate.</summary>
public sealed record RightsRevoked(string Number, Guid RegistrationId, Guid ProductId, string Reason, DateTimeOffset RevokedAt);
