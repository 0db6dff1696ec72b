using Marketplace.BuildingBlocks.Hosting.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Catalog.Certificates;

/// <summary>The route of a product's certificates in force, with who may call it.</summary>
internal static class CertificateEndpoints
{
    public static void MapCertificates(this RouteGroupBuilder api) =>
        api.MapGet("/products/{id:guid}/certificates", ProductCertificates.Handle)
            .RequireAuthorization(Roles.AnyParticipant).WithName("GetProductCertificates").ProducesProblem(StatusCodes.Status404NotFound);
}
