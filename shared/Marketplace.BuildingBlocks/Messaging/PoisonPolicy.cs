using System.Text.Json;

namespace Marketplace.BuildingBlocks.Messaging;

/// <summary>
/// When a consumer stops retrying a message. A failure retrying cannot cure — arithmetic overflow, a malformed value, a
/// bug that throws the same way every time — is given up after <see cref="DeterministicAttempts"/> attempts; any other
/// (a busy database, a read model still waiting for the event it follows) backs off exponentially up to
/// <see cref="RetryLimit"/> retries first. Given up means recorded for the operator (<see cref="FailedMessageStore"/>)
/// and acknowledged, with the consumer's compensation — an order's step failing ends the order — so no message can
/// hold a workflow for ever.
/// </summary>
public static class PoisonPolicy
{
    /// <summary>Retries after the first attempt of a transient failure (exponential back-off, 100 ms up to 30 s).</summary>
    public const int RetryLimit = 10;

    /// <summary>Attempts of a failure retrying cannot cure before it is given up.</summary>
    public const int DeterministicAttempts = 3;

    public static bool IsDeterministic(Exception error) => error is OverflowException or ArgumentException or FormatException
        or InvalidCastException or NullReferenceException or DivideByZeroException or IndexOutOfRangeException or KeyNotFoundException
        or NotSupportedException or JsonException or PoisonMessageException;

    /// <summary>Whether attempt <paramref name="retryAttempt"/> (0 the first) failing with <paramref name="error"/> is the last.</summary>
    public static bool GivesUp(Exception error, int retryAttempt) =>
        retryAttempt >= RetryLimit || (IsDeterministic(error) && retryAttempt + 1 >= DeterministicAttempts);
}

/// <summary>Thrown by a consumer for a message it can never apply, whatever the number of attempts.</summary>
public sealed class PoisonMessageException(string message) : Exception(message);
