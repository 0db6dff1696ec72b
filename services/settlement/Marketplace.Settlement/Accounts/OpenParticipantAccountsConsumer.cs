using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Contracts.Catalog;
using MassTransit;

namespace Marketplace.Settlement.Accounts;

/// <summary>Opens a newly admitted participant's ledger accounts (available, held, payable) at zero, once.</summary>
public sealed class OpenParticipantAccountsConsumer(Inbox<SettlementDb> inbox, TimeProvider time)
    : IConsumer<ParticipantAdmitted>
{
    /// <summary>The exchange's settlement currency; accounts in other currencies open when first needed.</summary>
    public const string DefaultCurrency = "CNY";

    public static readonly AccountKind[] ParticipantKinds = [AccountKind.Available, AccountKind.Held, AccountKind.Payable];

    private const string InsertSql = """
        INSERT INTO settlement.accounts (id, owner_id, kind, currency, balance, version, opened_at, min_balance)
        VALUES (@Id, @OwnerId, @Kind, @Currency, 0, 1, @OpenedAt, 0)
        """;

    public Task Consume(ConsumeContext<ParticipantAdmitted> context) =>
        inbox.ProcessOnceAsync(context, nameof(OpenParticipantAccountsConsumer), async uow =>
        {
            var now = time.GetUtcNow();
            foreach (var kind in ParticipantKinds)
            {
                await uow.ExecuteAsync(InsertSql, new
                {
                    Id = Guid.CreateVersion7(now),
                    OwnerId = context.Message.ParticipantId,
                    Kind = kind.ToString(),
                    Currency = DefaultCurrency,
                    OpenedAt = now,
                });
            }
        });
}

public sealed class OpenParticipantAccountsConsumerDefinition()
    : ServiceConsumerDefinition<OpenParticipantAccountsConsumer>(SettlementModule.Name);
