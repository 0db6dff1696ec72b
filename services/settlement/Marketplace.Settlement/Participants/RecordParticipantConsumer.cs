using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Contracts.Catalog;
using Marketplace.Settlement.Accounts;
using MassTransit;

namespace Marketplace.Settlement.Participants;

/// <summary>
/// Keeps settlement's copy of the participants (their status: a suspended one may read its records but not place
/// orders, withdraw or dispute) and, on admission, opens its ledger accounts (available, held, payable) at zero — once.
/// A read model like every other (<see cref="ReadModel"/>).
/// </summary>
public sealed class RecordParticipantConsumer(Inbox<SettlementDb> inbox, TimeProvider time) :
    IConsumer<ParticipantAdmitted>,
    IConsumer<ParticipantSuspended>,
    IConsumer<ParticipantReinstated>
{
    /// <summary>The exchange's settlement currency; accounts in other currencies open when first needed.</summary>
    public const string DefaultCurrency = "CNY";

    public static readonly AccountKind[] ParticipantKinds = [AccountKind.Available, AccountKind.Held, AccountKind.Payable];

    private const string InsertSql = """
        INSERT INTO settlement.participants (id, status, version, updated_at)
        SELECT @Id, 'Active', @Version, @Now
        WHERE NOT EXISTS (SELECT 1 FROM settlement.participants WHERE id = @Id)
        """;

    private const string OpenAccountSql = """
        INSERT INTO settlement.accounts (id, owner_id, kind, currency, balance, version, opened_at, min_balance)
        VALUES (@Id, @OwnerId, @Kind, @Currency, 0, 1, @OpenedAt, 0)
        """;

    private const string StatusSql = """
        UPDATE settlement.participants SET status = @Status, version = @Version, updated_at = @Now
        WHERE id = @Id AND version < @Version
        """;

    private const string ExistsSql = "SELECT COUNT(*) FROM settlement.participants WHERE id = @Id";

    public Task Consume(ConsumeContext<ParticipantAdmitted> context) =>
        inbox.ProcessOnceAsync(context, nameof(RecordParticipantConsumer), async uow =>
        {
            var m = context.Message;
            var now = time.GetUtcNow();
            if (await uow.ExecuteAsync(InsertSql, new { Id = m.ParticipantId, m.Version, Now = now }) == 0)
            {
                return;
            }

            foreach (var kind in ParticipantKinds)
            {
                await uow.ExecuteAsync(OpenAccountSql, new
                {
                    Id = Guid.CreateVersion7(now), OwnerId = m.ParticipantId, Kind = kind.ToString(), Currency = DefaultCurrency, OpenedAt = now,
                });
            }
        });

    public Task Consume(ConsumeContext<ParticipantSuspended> context) =>
        SetStatus(context, context.Message.ParticipantId, context.Message.Version, "Suspended");

    public Task Consume(ConsumeContext<ParticipantReinstated> context) =>
        SetStatus(context, context.Message.ParticipantId, context.Message.Version, "Active");

    private Task SetStatus<T>(ConsumeContext<T> context, Guid id, int version, string status)
        where T : class =>
        inbox.ProcessOnceAsync(context, nameof(RecordParticipantConsumer), uow =>
            ReadModel.ChangeAsync(uow, StatusSql, ExistsSql, id, new { Id = id, Version = version, Status = status, Now = time.GetUtcNow() }, "Participant"));
}
