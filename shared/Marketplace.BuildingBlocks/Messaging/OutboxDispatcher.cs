using System.Diagnostics;
using Marketplace.BuildingBlocks.Data;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.BuildingBlocks.Messaging;

/// <summary>
/// Publishes one service's committed outbox rows. Rows written in this process arrive through
/// <see cref="OutboxHandoff"/> right after their commit, already leased to it by their insert, and are published
/// from the message objects themselves. The rest — rows whose publish failed and whose back-off has passed, rows
/// a stopping host released or a crashed one left (once their lease ends) — are claimed (leased) from the table:
/// in every round that was handed nothing, and at least once per poll interval under load. A row is published with
/// MassTransit's MessageId set to the row id and marked sent only after the publish returned — which on RabbitMQ
/// means the broker confirmed it. Marks wait up to <see cref="OutboxOptions.MarkDelay"/> (or a batch) and go
/// together, so a quiet service does not pay a commit — an fsync — for every round; the lease keeps the waiting rows
/// from being claimed meanwhile, and a round marks what is due before it claims. A crash between publish and mark
/// leaves the row to be published again when its lease ends: at-least-once, and the consumers' inbox turns the
/// duplicate into a no-op. The rows of a batch are
/// published concurrently, so their confirms come back together instead of one round trip each; a row that fails
/// backs off exponentially on its own and is retried, never dropped. Messages of one batch may therefore arrive in
/// another order than they were written: every consumer is built for that (read models are versioned and retry a
/// change that overtakes its predecessor; the order workflow acts only on the state an answer expects). Claims,
/// marks and purges are written through the service's <see cref="GroupCommitter{TDb}"/>, in line with the
/// consumers' writes instead of contending with them for the write lock. <see cref="OutboxLoop{TDb}"/> runs the rounds.
/// </summary>
public sealed class OutboxDispatcher<TDb>(
    TDb db,
    GroupCommitter<TDb> committer,
    IBus bus,
    TimeProvider time,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher<TDb>> logger)
    where TDb : ServiceDb
{
    private readonly OutboxOptions settings = WithLease(db, options.Value);
    private DateTimeOffset nextPurge = DateTimeOffset.MinValue;
    private DateTimeOffset nextClaim = DateTimeOffset.MinValue;
    private readonly List<long> unmarked = [];

    /// <summary>A seam for crash tests: runs after a batch was published and before it is marked sent.</summary>
    internal Func<CancellationToken, Task>? AfterPublishBeforeMark { get; set; }

    /// <summary>When the published rows waiting to be marked sent are due to be; <see cref="DateTimeOffset.MaxValue"/> when none wait.</summary>
    public DateTimeOffset MarksDue { get; private set; } = DateTimeOffset.MaxValue;

    /// <summary>
    /// One round: marks the published rows whose mark is due, takes up to a batch of handed-over rows, claims due rows
    /// from the table when it was handed none or a poll interval has passed, and publishes them together. Returns how
    /// many were sent.
    /// </summary>
    public async Task<int> DispatchPendingAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // A handed-over row whose lease could end before its publish would be claimed as well: left to the claim.
        var rows = db.Outbox.Take(settings.BatchSize)
            .Where(m => m.LeasedUntil - settings.PublishTimeout > now)
            .Select(OutboxRow.Handed)
            .ToList();
        var room = settings.BatchSize - rows.Count;
        var claim = room > 0 && (rows.Count == 0 || now >= nextClaim);
        var marks = now >= MarksDue ? unmarked.ToArray() : [];
        if (claim || marks.Length > 0)
        {
            nextClaim = claim ? now + settings.PollInterval : nextClaim;
            // Due marks go first, in the claim's commit: a published row is never claimed again because its mark waited.
            var claimed = await committer.RunAsync(
                async uow =>
                {
                    await WriteMarksAsync(uow, now, marks, []);
                    return claim
                        ? await uow.QueryAsync<OutboxRow>(
                            db.Messaging.ClaimOutbox,
                            new { Batch = room, Now = now, LockedUntil = now + settings.LockDuration })
                        : [];
                },
                ct);
            Marked(marks.Length);
            rows.AddRange(claimed);
        }

        if (rows.Count == 0)
        {
            return 0;
        }

        async Task<(OutboxRow Row, Exception? Error)> Publish(OutboxRow row)
        {
            try
            {
                await PublishAsync(row, ct);
                if (settings.DuplicateEveryMessage)
                {
                    await PublishAsync(row, ct);
                }

                return (row, null);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                return (row, ex);
            }
        }

        (OutboxRow Row, Exception? Error)[] results;
        if (settings.ShuffleBatches)
        {
            var shuffled = rows.ToArray();
            Random.Shared.Shuffle(shuffled);
            results = new (OutboxRow, Exception?)[shuffled.Length];
            for (var i = 0; i < shuffled.Length; i++)
            {
                results[i] = await Publish(shuffled[i]);
            }
        }
        else
        {
            results = await Task.WhenAll(rows.Select(Publish));
        }

        var sent = results.Where(r => r.Error is null).Select(r => r.Row.Seq).ToList();

        if (AfterPublishBeforeMark is { } hook)
        {
            await hook(ct);
        }

        var done = time.GetUtcNow();
        if (sent.Count > 0 && unmarked.Count == 0)
        {
            MarksDue = done + settings.MarkDelay;
        }

        unmarked.AddRange(sent);
        var failures = results.Where(r => r.Error is not null)
            .Select(r => (r.Row, Error: r.Error!, Delay: settings.BackoffFor(r.Row.Attempts))).ToList();
        foreach (var (failed, error, delay) in failures)
        {
            logger.LogWarning(
                error,
                "Publishing outbox message {MessageId} ({MessageType}) from {Schema} failed (attempt {Attempt}); retrying in {Delay}",
                failed.Id, failed.MessageType, db.Schema, failed.Attempts + 1, delay);
        }

        if (failures.Count > 0 || unmarked.Count >= settings.BatchSize || done >= MarksDue)
        {
            await MarkAsync(done, failures);
        }

        return sent.Count;
    }

    /// <summary>Marks every published row still waiting for its mark (the host is stopping, or a test). Returns how many.</summary>
    public async Task<int> MarkPublishedAsync()
    {
        var count = unmarked.Count;
        if (count > 0)
        {
            await MarkAsync(time.GetUtcNow(), []);
        }

        return count;
    }

    /// <summary>Marks the waiting published rows sent and the failed ones for their retry, in one unit of work; the sent rows stay waiting if it fails.</summary>
    private async Task MarkAsync(DateTimeOffset at, IReadOnlyList<(OutboxRow Row, Exception Error, TimeSpan Delay)> failures)
    {
        var seqs = unmarked.ToArray();
        await committer.RunAsync(
            async uow =>
            {
                await WriteMarksAsync(uow, at, seqs, failures);
                return true;
            },
            CancellationToken.None);
        Marked(seqs.Length);
    }

    private async Task WriteMarksAsync(
        UnitOfWork uow, DateTimeOffset at, long[] sent, IReadOnlyList<(OutboxRow Row, Exception Error, TimeSpan Delay)> failures)
    {
        await EachBatchAsync(uow, db.Messaging.MarkSent, sent, chunk => new { Now = at, Seqs = chunk });
        foreach (var (failed, error, delay) in failures)
        {
            await uow.ExecuteAsync(db.Messaging.MarkFailed, new
            {
                failed.Seq,
                NextAttemptAt = at + delay,
                Error = Truncate(error.Message, 2000),
            });
        }
    }

    /// <summary>The first <paramref name="count"/> waiting rows were marked (rows published since stay waiting).</summary>
    private void Marked(int count)
    {
        unmarked.RemoveRange(0, count);
        MarksDue = unmarked.Count == 0 ? DateTimeOffset.MaxValue : MarksDue;
    }

    private async Task PublishAsync(OutboxRow row, CancellationToken ct)
    {
        var message = row.Message ?? MessageTypes.Deserialize(row.Body, MessageTypes.Resolve(row.MessageType));
        var type = message.GetType();
        ActivityContext.TryParse(row.TraceParent, null, out var parent);
        using var activity = OutboxTelemetry.Source.StartActivity($"outbox publish {type.Name}", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.message.id", row.Id);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.PublishTimeout);
        if (row.Destination is null)
        {
            await bus.Publish(message, type, context => context.MessageId = row.Id, timeout.Token);
            return;
        }

        var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{row.Destination}"));
        await endpoint.Send(message, type, context => context.MessageId = row.Id, timeout.Token);
    }

    /// <summary>
    /// Gives up the lease of every row handed over and not yet taken (the host is stopping), so the next dispatcher —
    /// this service restarted, or another instance — claims them at once instead of after their lease. Returns how many.
    /// </summary>
    public async Task<int> ReleaseHandedOverAsync()
    {
        var seqs = db.Outbox.Take(int.MaxValue).Select(m => m.Seq).ToList();
        if (seqs.Count > 0)
        {
            await committer.RunAsync(
                async uow =>
                {
                    await EachBatchAsync(uow, db.Messaging.ReleaseOutbox, seqs, chunk => new { Seqs = chunk });
                    return true;
                },
                CancellationToken.None);
        }

        return seqs.Count;
    }

    /// <summary>
    /// Runs a statement over row seqs a batch at a time: the hand-off holds up to thousands and marks gather up to two
    /// batches, where SQL Server takes at most 2,100 parameters in one statement (hence <see cref="OutboxOptions.MaxBatchSize"/>).
    /// </summary>
    private async Task EachBatchAsync(UnitOfWork uow, string sql, IReadOnlyCollection<long> seqs, Func<long[], object> parameters)
    {
        foreach (var chunk in seqs.Chunk(settings.BatchSize))
        {
            await uow.ExecuteAsync(sql, parameters(chunk));
        }
    }

    /// <summary>Deletes sent outbox rows and old inbox rows past their retention, at most once per purge interval.</summary>
    public async Task PurgeIfDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (now < nextPurge)
        {
            return;
        }

        nextPurge = now + settings.PurgeInterval;
        await committer.RunAsync(
            async uow =>
            {
                await uow.ExecuteAsync(db.Messaging.PurgeOutbox, new { Before = now - settings.SentRetention });
                await uow.ExecuteAsync(db.Messaging.PurgeInbox, new { Before = now - settings.InboxRetention });
                return true;
            },
            ct);
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    /// <summary>Rows this process writes are leased for as long as a claim would lease them.</summary>
    private static OutboxOptions WithLease(TDb db, OutboxOptions settings)
    {
        db.Outbox.Lease = settings.LockDuration;
        return settings;
    }

    /// <summary>A row to publish: claimed from the table (its body to deserialise), or handed over with its message object.</summary>
    private sealed class OutboxRow
    {
        public long Seq { get; init; }

        public Guid Id { get; init; }

        public string MessageType { get; init; } = "";

        public string Body { get; init; } = "";

        public string? TraceParent { get; init; }

        public string? Destination { get; init; }

        public int Attempts { get; init; }

        public object? Message { get; init; }

        public static OutboxRow Handed(OutboxMessage m) => new()
        {
            Seq = m.Seq,
            Id = m.Id,
            MessageType = MessageTypes.NameOf(m.Message.GetType()),
            TraceParent = m.TraceParent,
            Destination = m.Destination,
            Message = m.Message,
        };
    }
}
