using System.Security.Claims;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.Catalog.Participants;
using Marketplace.Contracts.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Catalog.Products;

/// <summary><c>POST /catalog/products</c> (provider): an admitted, active provider starts a product as a draft.</summary>
internal static class CreateProduct
{
    public static async Task<Results<Created<ProductResponse>, ProblemHttpResult>> Handle(
        ProductContent content, ClaimsPrincipal user, GroupCommitter<CatalogDb> committer, TimeProvider time, CancellationToken ct)
    {
        var owner = user.ParticipantId()!.Value;
        return await committer.RunAsync<Results<Created<ProductResponse>, ProblemHttpResult>>(
            async uow =>
            {
                var provider = await ParticipantStore.FindAsync(uow, owner);
                if (provider is null || provider.Status != ParticipantStatus.Active || !provider.Roles.HasFlag(ParticipantRoles.Provider))
                {
                    return TypedResults.Problem(
                        "Only an admitted, active provider may list data products.", statusCode: StatusCodes.Status403Forbidden, title: "Not an active provider");
                }

                var now = time.GetUtcNow();
                var product = new Product
                {
                    Id = Guid.CreateVersion7(now),
                    OwnerId = owner,
                    Listing = ListingState.Unlisted,
                    PendingRevision = 1,
                    PendingState = RevisionState.Draft,
                    PendingContent = content.ToJson(),
                    Version = 1,
                    CreatedAt = now,
                    UpdatedAt = now,
                };
                await ProductStore.InsertAsync(uow, product, content);
                await ProductStore.RecordAsync(uow, product, "created", 1, null, owner, now);
                return TypedResults.Created($"/catalog/products/{product.Id}", product.ToFullView());
            },
            ct);
    }
}
