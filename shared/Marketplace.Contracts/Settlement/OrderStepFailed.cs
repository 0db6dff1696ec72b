namespace Marketplace.Contracts.Settlement;

/// <summary>
/// A service gave up on its step of an order (a message it could not apply, whatever the number of attempts): settlement
/// ends the order — Failed before it was funded, refunded in full after — instead of leaving it waiting for ever.
/// </summary>
/// <param name="Service">The service that gave up (<c>rights</c>, <c>pricing</c>).</param>
/// <param name="Step">What it could not do, in words (<c>decide access</c>, <c>quote</c>, <c>issue the licence</c>).</param>
/// <param name="Error">The error's type and message, for the operator.</param>
public sealed record OrderStepFailed(Guid OrderId, string Service, string Step, string Error, DateTimeOffset FailedAt);
