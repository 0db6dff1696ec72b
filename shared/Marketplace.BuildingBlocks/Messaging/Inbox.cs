using Marketplace.BuildingBlocks.Data;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Marketplace.BuildingBlocks.Messaging;

/// <summary>
/// Idempotent consumption: the (message id, consumer) pair is recorded in the same transaction as the consumer's
/// effects. A redelivered message finds its row and does nothing; a concurrent duplicate blocks on the row lock (or,
/// in the same batch, meets the row its twin just wrote) and then finds it. The message id is the outbox row id the
/// publisher set. Messages are applied through the service's <see cref="GroupCommitter{TDb}"/>: the consumers'
/// concurrent messages share one durable commit, each in its own savepoint, and a message is acknowledged only after
/// that commit.
/// <para>
/// A message whose effects keep failing is given up as <see cref="PoisonPolicy"/> says: in one transaction its inbox row
/// is recorded (so a redelivery does nothing), it is kept in <c>failed_messages</c> for the operator to replay or
/// discard, and the consumer's compensation runs (for an order's step: the order ends). Then it is acknowledged.
/// </para>
/// </summary>
public sealed class Inbox<TDb>(TDb db, GroupCommitter<TDb> committer, TimeProvider time, ILogger<Inbox<TDb>> logger)
    where TDb : ServiceDb
{
    /// <summary>
    /// Runs <paramref name="effects"/> once per message and consumer; returns false for a duplicate or a message given up
    /// on. <paramref name="compensate"/> runs, in the transaction that records the failure, when the message is given up.
    /// </summary>
    public async Task<bool> ProcessOnceAsync<T>(
        ConsumeContext<T> context, string consumer, Func<UnitOfWork, Task> effects, Func<UnitOfWork, GivenUp<T>, Task>? compensate = null)
        where T : class
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"{consumer} received a message without a MessageId.");
        var attempt = context.GetRetryAttempt();
        try
        {
            return await ProcessOnceAsync(messageId, consumer, effects, context.CancellationToken);
        }
        catch (Exception error) when (!context.CancellationToken.IsCancellationRequested && PoisonPolicy.GivesUp(error, attempt))
        {
            await GiveUpAsync(context, messageId, consumer, attempt + 1, error, compensate);
            return false;
        }
    }

    public async Task<bool> ProcessOnceAsync(
        Guid messageId, string consumer, Func<UnitOfWork, Task> effects, CancellationToken ct)
    {
        return await committer.RunAsync(
            async uow =>
            {
                var recorded = await uow.ExecuteAsync(
                    db.Messaging.RecordInbox, new { MessageId = messageId, Consumer = consumer, Now = time.GetUtcNow() });
                if (recorded == 0)
                {
                    return false;
                }

                await effects(uow);
                return true;
            },
            ct);
    }

    private async Task GiveUpAsync<T>(
        ConsumeContext<T> context, Guid messageId, string consumer, int attempts, Exception error, Func<UnitOfWork, GivenUp<T>, Task>? compensate)
        where T : class
    {
        logger.LogError(
            error, "{Consumer} gives up message {MessageId} ({MessageType}) after {Attempts} attempts; kept for the operator in {Schema}.failed_messages",
            consumer, messageId, typeof(T).Name, attempts, db.Schema);
        var queue = context.ReceiveContext.InputAddress?.AbsolutePath.Trim('/').Split('/')[^1] ?? consumer;
        var text = $"{error.GetType().Name}: {error.Message}";
        try
        {
            await RecordAsync(context.Message, messageId, consumer, queue, attempts, error, text, compensate);
        }
        catch (Exception compensationError) when (compensate is not null)
        {
            // The compensation failed too: keep the message for the operator without it rather than not at all.
            logger.LogError(compensationError, "{Consumer} could not compensate for message {MessageId}; recording it alone", consumer, messageId);
            await RecordAsync(context.Message, messageId, consumer, queue, attempts, error, $"{text} (compensation failed: {compensationError.Message})", null);
        }
    }

    private Task RecordAsync<T>(
        T message, Guid messageId, string consumer, string queue, int attempts, Exception error, string text, Func<UnitOfWork, GivenUp<T>, Task>? compensate)
        where T : class =>
        committer.RunAsync(
            async uow =>
            {
                var now = time.GetUtcNow();
                if (await uow.ExecuteAsync(db.Messaging.RecordInbox, new { MessageId = messageId, Consumer = consumer, Now = now }) == 0)
                {
                    return false; // applied or given up meanwhile by another delivery
                }

                await uow.ExecuteAsync(db.Messaging.InsertFailed, new
                {
                    Id = Guid.CreateVersion7(now),
                    MessageId = messageId,
                    Consumer = consumer,
                    Queue = queue,
                    MessageType = MessageTypes.NameOf(typeof(T)),
                    Body = MessageTypes.Serialize(message),
                    ErrorType = error.GetType().FullName ?? error.GetType().Name,
                    Error = text.Length <= 2000 ? text : text[..2000],
                    Attempts = attempts,
                    FailedAt = now,
                });
                if (compensate is not null)
                {
                    await compensate(uow, new GivenUp<T>(message, text, now));
                }

                return true;
            },
            CancellationToken.None);
}

/// <summary>A message a consumer gave up on: what it was, why (the error's type and message), and when.</summary>
public sealed record GivenUp<T>(T Message, string Error, DateTimeOffset Now);
