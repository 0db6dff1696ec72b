using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.Rights.Delivery.Api;
using Marketplace.Rights.Delivery.Files;
using Marketplace.Rights.Delivery.Keys;
using Marketplace.Rights.Delivery.Usage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Rights.Delivery;

/// <summary>The routes of delivery — files, the API source, keys, usage, the data plane and downloads — with who may call each.</summary>
internal static class DeliveryEndpoints
{
    public static void MapDelivery(this RouteGroupBuilder api)
    {
        api.MapPost("/products/{productId:guid}/files", UploadFiles.Handle).RequireAuthorization(Roles.Provider).WithName("UploadDeliveryFiles")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/products/{productId:guid}/files", ReadFiles.ForProduct).RequireAuthorization(Roles.AnyParticipant).WithName("GetProductDeliveryFiles")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/licences/{id:guid}/files", ReadFiles.ForLicence).RequireAuthorization(Roles.AnyParticipant).WithName("GetLicenceFiles")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPut("/products/{productId:guid}/api-source", ApiSourceEndpoints.Set).RequireAuthorization(Roles.Provider).WithName("SetApiSource")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/products/{productId:guid}/api-source", ApiSourceEndpoints.Get).RequireAuthorization(Roles.AnyParticipant).WithName("GetApiSource")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var keys = api.MapGroup("/licences/{id:guid}/keys").ProducesProblem(StatusCodes.Status404NotFound);
        keys.MapPost("/", KeyEndpoints.Create).RequireAuthorization(Roles.Buyer).WithName("CreateApiKey").ProducesProblem(StatusCodes.Status409Conflict);
        keys.MapGet("/", KeyEndpoints.List).RequireAuthorization(Roles.AnyParticipant).WithName("ListApiKeys");
        keys.MapPost("/{keyId:guid}/rotate", KeyEndpoints.Rotate).RequireAuthorization(Roles.Buyer).WithName("RotateApiKey")
            .ProducesProblem(StatusCodes.Status409Conflict);
        keys.MapPost("/{keyId:guid}/revoke", KeyEndpoints.Revoke).RequireAuthorization(Roles.AnyParticipant).WithName("RevokeApiKey")
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/licences/{id:guid}/usage", ReadUsage.Minutes).RequireAuthorization(Roles.AnyParticipant).WithName("GetLicenceUsage")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/licences/{id:guid}/downloads", ReadUsage.Downloads).RequireAuthorization(Roles.AnyParticipant).WithName("ListLicenceDownloads")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        api.MapMethods("/delivery/api/{licenceId:guid}/{**path}", ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"], DataPlane.Handle).AllowAnonymous()
            .WithName("DataPlane").ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status504GatewayTimeout);
        api.MapGet("/delivery/files/{licenceId:guid}/{sha256}", DownloadFile.Handle).AllowAnonymous().WithName("DownloadFile")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream").Produces(StatusCodes.Status206PartialContent)
            .Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status416RangeNotSatisfiable);
    }
}
