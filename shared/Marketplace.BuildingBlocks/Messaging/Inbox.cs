using Marketplace.BuildingBlocks.Data;
using MassTransit;

namespace Marketplace.BuildingBlocks.Messaging;

/// <summary>
/// Idempotent consumption: the (message id, consumer) pair is recorded in the same transaction as the consumer's
/// effects. A redelivered message finds its row and does nothing; a concurrent duplicate blocks on the row lock (or,
/// in the same batch, meets the row its twin just wrote) and then finds it. The message id is the outbox row id the
/// publisher set. Messages are applied through the service's <see cref="GroupCommitter{TDb}"/>: the consumers'
/// concurrent messages share one durable commit, each in its own savepoint, and a message is acknowledged only after
/// that commit.
/// </summary>
public sealed class Inbox<TDb>(TDb db, GroupCommitter<TDb> committer, TimeProvider time)
    where TDb : ServiceDb
{
    /// <summary>Runs <paramref name="effects"/> once per message and consumer; returns false for a duplicate.</summary>
    public async Task<bool> ProcessOnceAsync(
        ConsumeContext context, string consumer, Func<UnitOfWork, Task> effects)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"{consumer} received a message without a MessageId.");
        return await ProcessOnceAsync(messageId, consumer, effects, context.CancellationToken);
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
}
