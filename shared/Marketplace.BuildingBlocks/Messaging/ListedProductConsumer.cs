using Marketplace.BuildingBlocks.Data;
using Marketplace.Contracts.Catalog;
using MassTransit;

namespace Marketplace.BuildingBlocks.Messaging;

/// <summary>
/// The statements a service keeps its copy of catalog's listed products with, in its own schema and columns:
/// <paramref name="Listed"/> creates the row (or brings an older one up to date); <paramref name="Revised"/> and
/// <paramref name="Status"/> change it only where the stored version is older; <paramref name="Exists"/> tells a
/// change that overtook the listing from one that is stale. Parameters: <c>@Id, @OwnerId, @Category, @Subject,
/// @Grade, @RequiresManualApproval, @ExclusiveAllowed, @ManifestSha256, @DeliveryMethods, @Status, @Version, @Now</c>
/// — each statement names those it needs.
/// </summary>
public sealed record ListedProductSql(string Listed, string Revised, string Status, string Exists);

/// <summary>
/// The one way a service keeps its copy of catalog's listed products from catalog's events (<see cref="ReadModel"/>'s
/// rules: versioned, an older or repeated event changes nothing, a change that overtakes the listing is retried until
/// it is here). Each service declares its consumer in its own <c>Products/</c> folder with its statements; the events'
/// handling is this class's. Once per message (inbox).
/// </summary>
public abstract class ListedProductConsumer<TDb>(Inbox<TDb> inbox, TimeProvider time, ListedProductSql sql) :
    IConsumer<ProductListed>,
    IConsumer<ProductRevised>,
    IConsumer<ProductSuspended>,
    IConsumer<ProductReinstated>,
    IConsumer<ProductDelisted>
    where TDb : ServiceDb
{
    public Task Consume(ConsumeContext<ProductListed> context)
    {
        var m = context.Message;
        var args = Args(m.ProductId, m.OwnerId, m.Category, m.Subject, m.Grade, m.RequiresManualApproval, m.ExclusiveAllowed, m.ManifestSha256, m.DeliveryMethods, m.Version);
        return inbox.ProcessOnceAsync(context, GetType().Name, uow => uow.ExecuteAsync(sql.Listed, args));
    }

    /// <summary>A revision is approved only for a listed product, so it never changes the listing status.</summary>
    public Task Consume(ConsumeContext<ProductRevised> context)
    {
        var m = context.Message;
        return Change(context, sql.Revised, m.ProductId, Args(
            m.ProductId, m.OwnerId, m.Category, m.Subject, m.Grade, m.RequiresManualApproval, m.ExclusiveAllowed, m.ManifestSha256, m.DeliveryMethods, m.Version));
    }

    public Task Consume(ConsumeContext<ProductSuspended> context) => Status(context, context.Message.ProductId, context.Message.Version, "Suspended");

    public Task Consume(ConsumeContext<ProductReinstated> context) => Status(context, context.Message.ProductId, context.Message.Version, "Listed");

    public Task Consume(ConsumeContext<ProductDelisted> context) => Status(context, context.Message.ProductId, context.Message.Version, "Delisted");

    private Task Status<T>(ConsumeContext<T> context, Guid id, int version, string status)
        where T : class =>
        Change(context, sql.Status, id, new { Id = id, Version = version, Status = status, Now = time.GetUtcNow() });

    private Task Change<T>(ConsumeContext<T> context, string statement, Guid id, object args)
        where T : class =>
        inbox.ProcessOnceAsync(context, GetType().Name, uow => ReadModel.ChangeAsync(uow, statement, sql.Exists, id, args, "Product"));

    private object Args(
        Guid id, Guid owner, string category, DataSubject subject, DataGrade grade, bool manual, bool exclusive, string manifest,
        IReadOnlyList<DeliveryMethod> methods, int version) => new
        {
            Id = id, OwnerId = owner, Category = category, Subject = subject.ToString(), Grade = grade.ToString(), RequiresManualApproval = manual,
            ExclusiveAllowed = exclusive, ManifestSha256 = manifest, DeliveryMethods = string.Join(',', methods.Order()), Status = "Listed",
            Version = version, Now = time.GetUtcNow(),
        };
}
