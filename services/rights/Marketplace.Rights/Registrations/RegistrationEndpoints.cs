using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.Rights.Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Rights.Registrations;

/// <summary>Routes of registrations, objections and holder changes; each handler sits in a file named after it.</summary>
internal static class RegistrationEndpoints
{
    public static void MapRegistrations(this RouteGroupBuilder api)
    {
        var registrations = api.MapGroup("/registrations");
        registrations.MapPost("/", ApplyForRegistration.Apply).RequireAuthorization(Roles.Provider).WithName("ApplyForRegistration")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        registrations.MapGet("/", ReadRegistrations.List).RequireAuthorization(Roles.AnyParticipant).WithName("ListRegistrations").ProducesValidationProblem();

        var one = registrations.MapGroup("/{id:guid}").ProducesProblem(StatusCodes.Status404NotFound);
        one.MapGet("/", ReadRegistrations.Get).RequireAuthorization(Roles.AnyParticipant).WithName("GetRegistration");
        one.MapGet("/history", ReadRegistrations.History).RequireAuthorization(Roles.AnyParticipant).WithName("GetRegistrationHistory");
        one.MapGet("/objections", ReadRegistrations.ListObjections).RequireAuthorization(Roles.AnyParticipant).WithName("ListObjections");
        one.MapGet("/certificates", ReadRegistrations.Certificates).RequireAuthorization(Roles.AnyParticipant).WithName("ListRegistrationCertificates");
        one.MapPut("/", ApplyForRegistration.Resubmit).RequireAuthorization(Roles.Provider).WithName("ResubmitRegistration")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        one.MapPost("/formal-review", ReviewRegistration.Formal).RequireAuthorization(Roles.Operator).WithName("FormalReview")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        one.MapPost("/substantive-review", ReviewRegistration.Substantive).RequireAuthorization(Roles.Operator).WithName("SubstantiveReview")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        one.MapPost("/objections", Objections.File).RequireAuthorization(Roles.Participant).WithName("FileObjection")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        one.MapPost("/holder-changes", HolderChanges.Request).RequireAuthorization(Roles.Provider).WithName("RequestHolderChange")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapPost("/objections/{id:guid}/ruling", Objections.Rule).RequireAuthorization(Roles.Operator).WithName("RuleOnObjection")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        var changes = api.MapGroup("/holder-changes/{id:guid}").RequireAuthorization(Roles.Operator)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        changes.MapPost("/approve", HolderChanges.Approve).WithName("ApproveHolderChange");
        changes.MapPost("/refuse", HolderChanges.Refuse).WithName("RefuseHolderChange");
    }
}
