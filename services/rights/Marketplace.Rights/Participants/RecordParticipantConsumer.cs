using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Contracts.Catalog;
using MassTransit;

namespace Marketplace.Rights.Participants;

/// <summary>
/// Keeps rights' copy of the participants it needs for its decisions (status, roles, qualification, jurisdiction),
/// learnt from catalog's events. Each event carries the participant's version: an older or repeated one changes
/// nothing; a change that arrives before the admission it follows is retried until the admission is here.
/// </summary>
public sealed class RecordParticipantConsumer(Inbox<RightsDb> inbox, TimeProvider time) :
    IConsumer<ParticipantAdmitted>,
    IConsumer<ParticipantQualificationChanged>,
    IConsumer<ParticipantSuspended>,
    IConsumer<ParticipantReinstated>
{
    private const string InsertSql = """
        INSERT INTO rights.participants (id, name, jurisdiction, roles, qualification, status, version, updated_at)
        SELECT @Id, @Name, @Jurisdiction, @Roles, @Qualification, 'Active', @Version, @Now
        WHERE NOT EXISTS (SELECT 1 FROM rights.participants WHERE id = @Id)
        """;

    private const string QualificationSql = """
        UPDATE rights.participants SET qualification = @Value, version = @Version, updated_at = @Now
        WHERE id = @Id AND version < @Version
        """;

    private const string StatusSql = """
        UPDATE rights.participants SET status = @Value, version = @Version, updated_at = @Now
        WHERE id = @Id AND version < @Version
        """;

    private const string ExistsSql = "SELECT COUNT(*) FROM rights.participants WHERE id = @Id";

    public Task Consume(ConsumeContext<ParticipantAdmitted> context) =>
        inbox.ProcessOnceAsync(context, nameof(RecordParticipantConsumer), uow => uow.ExecuteAsync(InsertSql, new
        {
            Id = context.Message.ParticipantId,
            context.Message.Name,
            Jurisdiction = context.Message.Jurisdiction.ToString(),
            Roles = (int)context.Message.Roles,
            Qualification = context.Message.Qualification?.ToString(),
            context.Message.Version,
            Now = time.GetUtcNow(),
        }));

    public Task Consume(ConsumeContext<ParticipantQualificationChanged> context) =>
        Apply(context, QualificationSql, context.Message.ParticipantId, context.Message.Version, context.Message.Qualification.ToString());

    public Task Consume(ConsumeContext<ParticipantSuspended> context) =>
        Apply(context, StatusSql, context.Message.ParticipantId, context.Message.Version, "Suspended");

    public Task Consume(ConsumeContext<ParticipantReinstated> context) =>
        Apply(context, StatusSql, context.Message.ParticipantId, context.Message.Version, "Active");

    private Task Apply<T>(ConsumeContext<T> context, string sql, Guid id, int version, string value)
        where T : class =>
        inbox.ProcessOnceAsync(context, nameof(RecordParticipantConsumer), async uow =>
        {
            var changed = await uow.ExecuteAsync(sql, new { Id = id, Version = version, Value = value, Now = time.GetUtcNow() });
            if (changed == 0 && await uow.ExecuteScalarAsync<long>(ExistsSql, new { Id = id }) == 0)
            {
                throw new ParticipantNotYetKnownException(id);
            }
        });
}

/// <summary>A change arrived before the admission it follows; the retry policy delivers it again.</summary>
public sealed class ParticipantNotYetKnownException(Guid id)
    : Exception($"Participant {id} is not known here yet; its admission has not arrived.");
