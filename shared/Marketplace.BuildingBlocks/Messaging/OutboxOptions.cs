namespace Marketplace.BuildingBlocks.Messaging;

/// <summary>Outbox dispatcher settings (section <c>Messaging:Outbox</c>).</summary>
public sealed class OutboxOptions
{
    /// <summary>
    /// The most rows a round may take: marks and releases go one statement per batch with a parameter per row, and
    /// SQL Server takes at most 2,100 parameters in one statement.
    /// </summary>
    public const int MaxBatchSize = 2_000;

    /// <summary>Rows claimed per round (1 to <see cref="MaxBatchSize"/>).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>The fallback poll when no commit signalled (also picks up rows whose back-off has passed).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claimed row stays invisible to other dispatcher instances.</summary>
    public TimeSpan LockDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long published rows may wait to be marked sent, so the marks of many rounds share one commit (a quiet service
    /// would otherwise commit — and fsync — once per round). <see cref="LockDuration"/> must exceed it plus
    /// <see cref="PublishTimeout"/> (checked at start): the lease is what keeps a waiting row from being claimed again.
    /// A crash inside it republishes those rows; the inbox absorbs them.
    /// </summary>
    public TimeSpan MarkDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long one publish may wait for the broker's confirmation before it counts as failed.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First retry delay after a failed publish; doubles per attempt up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Sent outbox rows are deleted after this long.</summary>
    public TimeSpan SentRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Inbox rows are deleted after this long. It must exceed the longest time a message can be redelivered
    /// (outbox retries plus broker redelivery); past it a duplicate would no longer be recognised.
    /// </summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Fault injection, refused in Production: every message is published twice (same message id), as a
    /// broker redelivery or a crash between publish and mark would do. The reliability suite's duplicate storm.</summary>
    public bool DuplicateEveryMessage { get; set; }

    /// <summary>Fault injection, refused in Production: a batch's messages are published one by one in a random
    /// order, so messages written in one order arrive in another (bounded by <see cref="BatchSize"/>).</summary>
    public bool ShuffleBatches { get; set; }

    /// <summary>
    /// Throws at start, naming every setting that is wrong: a value out of range, a lease too short to cover a publish
    /// and the wait for its mark (handed-over rows would all fall to the claim, and waiting rows would be claimed
    /// and published again), or a fault-injection setting on in Production.
    /// </summary>
    public void ThrowIfInvalid(string environment)
    {
        var problems = new List<string>();
        void Require(bool valid, string problem)
        {
            if (!valid)
            {
                problems.Add(problem);
            }
        }

        Require(BatchSize is > 0 and <= MaxBatchSize, $"BatchSize must be 1 to {MaxBatchSize}");
        Require(PollInterval > TimeSpan.Zero, "PollInterval must be positive");
        Require(PublishTimeout > TimeSpan.Zero, "PublishTimeout must be positive");
        Require(MarkDelay >= TimeSpan.Zero, "MarkDelay must not be negative");
        Require(LockDuration > PublishTimeout + MarkDelay, "LockDuration must exceed PublishTimeout + MarkDelay");
        Require(InitialBackoff > TimeSpan.Zero, "InitialBackoff must be positive");
        Require(MaxBackoff >= InitialBackoff, "MaxBackoff must be at least InitialBackoff");
        Require(SentRetention > TimeSpan.Zero, "SentRetention must be positive");
        Require(InboxRetention > MaxBackoff + LockDuration, "InboxRetention must exceed MaxBackoff + LockDuration");
        Require(PurgeInterval > TimeSpan.Zero, "PurgeInterval must be positive");
        Require(
            !(DuplicateEveryMessage || ShuffleBatches) || environment != "Production",
            "DuplicateEveryMessage and ShuffleBatches are fault injection for tests; they are refused in Production");
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"Messaging:Outbox: {string.Join("; ", problems)}.");
        }
    }

    public TimeSpan BackoffFor(int attempts)
    {
        var factor = Math.Pow(2, Math.Min(attempts, 20));
        var delay = TimeSpan.FromMilliseconds(InitialBackoff.TotalMilliseconds * factor);
        return delay < MaxBackoff ? delay : MaxBackoff;
    }
}
