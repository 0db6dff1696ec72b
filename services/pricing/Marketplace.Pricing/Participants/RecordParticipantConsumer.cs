using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Contracts.Catalog;
using MassTransit;

namespace Marketplace.Pricing.Participants;

/// <summary>
/// Keeps pricing's copy of the participants it needs: who may publish price plans (an active provider) and who
/// may be quoted (an active buyer). Versioned like every read model: older or repeated events change nothing; a
/// status change that overtakes the admission is retried until the admission is here.
/// </summary>
public sealed class RecordParticipantConsumer(Inbox<PricingDb> inbox, TimeProvider time) :
    IConsumer<ParticipantAdmitted>,
    IConsumer<ParticipantSuspended>,
    IConsumer<ParticipantReinstated>
{
    private const string InsertSql = """
        INSERT INTO pricing.participants (id, roles, status, version, updated_at)
        SELECT @Id, @Roles, 'Active', @Version, @Now
        WHERE NOT EXISTS (SELECT 1 FROM pricing.participants WHERE id = @Id)
        """;

    private const string StatusSql = """
        UPDATE pricing.participants SET status = @Status, version = @Version, updated_at = @Now
        WHERE id = @Id AND version < @Version
        """;

    private const string ExistsSql = "SELECT COUNT(*) FROM pricing.participants WHERE id = @Id";

    public Task Consume(ConsumeContext<ParticipantAdmitted> context) =>
        inbox.ProcessOnceAsync(context, nameof(RecordParticipantConsumer), uow => uow.ExecuteAsync(InsertSql, new
        {
            Id = context.Message.ParticipantId,
            Roles = (int)context.Message.Roles,
            context.Message.Version,
            Now = time.GetUtcNow(),
        }));

    public Task Consume(ConsumeContext<ParticipantSuspended> context) =>
        SetStatus(context, context.Message.ParticipantId, context.Message.Version, "Suspended");

    public Task Consume(ConsumeContext<ParticipantReinstated> context) =>
        SetStatus(context, context.Message.ParticipantId, context.Message.Version, "Active");

    private Task SetStatus<T>(ConsumeContext<T> context, Guid id, int version, string status)
        where T : class =>
        inbox.ProcessOnceAsync(context, nameof(RecordParticipantConsumer), uow =>
            ReadModel.ChangeAsync(uow, StatusSql, ExistsSql, id, new { Id = id, Version = version, Status = status, Now = time.GetUtcNow() }, "Participant"));
}
