using Marketplace.BuildingBlocks.Hosting.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Catalog.Participants;

/// <summary>Routes of <c>/catalog/participants</c>; each handler sits in a file named after it.</summary>
internal static class ParticipantEndpoints
{
    public static void MapParticipants(this RouteGroupBuilder api)
    {
        var participants = api.MapGroup("/participants");
        participants.MapPost("/", AdmitParticipant.Handle)
            .RequireAuthorization(Roles.Operator).WithName("AdmitParticipant")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        participants.MapGet("/", ListParticipants.Handle)
            .RequireAuthorization(Roles.Operator).WithName("ListParticipants")
            .ProducesValidationProblem();
        participants.MapGet("/{id:guid}", GetParticipant.Handle)
            .RequireAuthorization(Roles.AnyParticipant).WithName("GetParticipant")
            .ProducesProblem(StatusCodes.Status404NotFound);
        participants.MapGet("/{id:guid}/history", ParticipantHistory.Handle)
            .RequireAuthorization(Roles.AnyParticipant).WithName("GetParticipantHistory")
            .ProducesProblem(StatusCodes.Status404NotFound);
        participants.MapPut("/{id:guid}/qualification", ChangeQualification.Handle)
            .RequireAuthorization(Roles.Operator).WithName("ChangeParticipantQualification")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        participants.MapPost("/{id:guid}/suspend", SuspendParticipant.Handle)
            .RequireAuthorization(Roles.Operator).WithName("SuspendParticipant")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        participants.MapPost("/{id:guid}/reinstate", ReinstateParticipant.Handle)
            .RequireAuthorization(Roles.Operator).WithName("ReinstateParticipant")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
    }
}
