using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Contracts.Rights;
using MassTransit;

namespace Marketplace.Catalog.Certificates;

/// <summary>
/// Keeps catalog's copy of rights' registration certificates: a certificate issued (<see cref="RightsCertified"/>)
/// supersedes the earlier versions of its registration; revoked (<see cref="RightsRevoked"/>) or expired
/// (<see cref="RightsExpired"/>) it no longer certifies. After each, the product's search entry says whether any
/// certificate is in force. Once per message (inbox); a certificate already ended is never made active again.
/// </summary>
public sealed class RecordCertificateConsumer(Inbox<CatalogDb> inbox, TimeProvider time) :
    IConsumer<RightsCertified>,
    IConsumer<RightsRevoked>,
    IConsumer<RightsExpired>
{
    private const string IssuedSql = """
        UPDATE catalog.certificates SET status = 'Superseded', updated_at = @Now
        WHERE registration_id = @RegistrationId AND version < @Version AND status = 'Active';
        INSERT INTO catalog.certificates (number, registration_id, product_id, version, rights, valid_until, status, updated_at)
        SELECT @Number, @RegistrationId, @ProductId, @Version, @Rights, @ValidUntil, 'Active', @Now
        WHERE NOT EXISTS (SELECT 1 FROM catalog.certificates WHERE number = @Number)
          AND NOT EXISTS (SELECT 1 FROM catalog.certificates WHERE registration_id = @RegistrationId AND version > @Version);
        """;

    private const string EndedSql = """
        UPDATE catalog.certificates SET status = @Status, updated_at = @Now WHERE number = @Number AND status = 'Active'
        """;

    public Task Consume(ConsumeContext<RightsCertified> context)
    {
        var m = context.Message;
        return Apply(context, IssuedSql, new
        {
            m.Number, m.RegistrationId, m.ProductId, Version = m.CertificateVersion, Rights = string.Join(',', m.Rights), m.ValidUntil, Now = time.GetUtcNow(),
        }, m.ProductId);
    }

    public Task Consume(ConsumeContext<RightsRevoked> context) =>
        Apply(context, EndedSql, new { context.Message.Number, Status = "Revoked", Now = time.GetUtcNow() }, context.Message.ProductId);

    public Task Consume(ConsumeContext<RightsExpired> context) =>
        Apply(context, EndedSql, new { context.Message.Number, Status = "Expired", Now = time.GetUtcNow() }, context.Message.ProductId);

    private Task Apply<T>(ConsumeContext<T> context, string sql, object args, Guid productId)
        where T : class =>
        inbox.ProcessOnceAsync(context, nameof(RecordCertificateConsumer), async uow =>
        {
            await uow.ExecuteAsync(sql, args);
            await uow.ExecuteAsync(ProductCertificates.SetCertifiedSql, new { ProductId = productId });
        });
}
