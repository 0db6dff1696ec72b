using FluentValidation;
using Marketplace.BuildingBlocks.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Marketplace.BuildingBlocks.Hosting.Auth;

/// <summary>
/// <c>POST /dev/token</c>: a development token issuer, mapped only outside Production. It signs a token for any
/// subject and roles so a newcomer can call the API at once; without a subject an operator token is issued for the
/// bootstrap operator (<c>Bootstrap:OperatorId</c>).
/// </summary>
public static class DevTokenEndpoint
{
    public static void MapDevTokens(this IEndpointRouteBuilder app)
    {
        app.MapPost("/dev/token", Issue)
            .AllowAnonymous()
            .AddEndpointFilterFactory(ValidationFilter.Factory)
            .WithTags("development")
            .ExcludeFromDescription();
    }

    private static Results<Ok<DevTokenResponse>, ProblemHttpResult> Issue(
        DevTokenRequest request, TokenSigning signing, IOptions<BootstrapSettings> bootstrap)
    {
        if (signing.Key is null)
        {
            return TypedResults.Problem(
                "This deployment validates tokens from an OIDC authority; it cannot issue development tokens.",
                statusCode: StatusCodes.Status404NotFound);
        }

        var subject = request.Subject ?? bootstrap.Value.OperatorId ?? Guid.Empty;
        var roles = request.Roles is { Count: > 0 } r ? r : [Roles.Operator];
        var token = signing.CreateToken(subject, roles, DateTimeOffset.UtcNow); // checked on the wall clock, not the dev clock
        return TypedResults.Ok(new DevTokenResponse(token, "Bearer", (int)signing.Settings.DevTokenLifetime.TotalSeconds, subject, roles));
    }
}

public sealed record DevTokenRequest(Guid? Subject, IReadOnlyList<string>? Roles);

public sealed record DevTokenResponse(string AccessToken, string TokenType, int ExpiresIn, Guid Subject, IReadOnlyList<string> Roles);

public sealed class DevTokenRequestValidator : AbstractValidator<DevTokenRequest>
{
    public DevTokenRequestValidator()
    {
        RuleFor(r => r.Subject).NotEqual(Guid.Empty);
        RuleForEach(r => r.Roles).Must(role => Marketplace.BuildingBlocks.Hosting.Auth.Roles.All.Contains(role))
            .WithMessage($"Each role must be one of: {string.Join(", ", Marketplace.BuildingBlocks.Hosting.Auth.Roles.All)}.");
        RuleFor(r => r.Roles).Must(r => r is null || r.Count <= 3);
        RuleFor(r => r)
            .Must(r => r.Subject is not null || r.Roles is null || r.Roles.SequenceEqual([Marketplace.BuildingBlocks.Hosting.Auth.Roles.Operator]))
            .WithName("subject")
            .WithMessage("A subject (the participant id) is required for provider and buyer tokens.");
    }
}

/// <summary>The deployment's first operator (section <c>Bootstrap</c>): whom a development token is for when none is named.</summary>
public sealed class BootstrapSettings
{
    public Guid? OperatorId { get; set; }
}
