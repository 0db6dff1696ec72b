using System.Security.Claims;

namespace Marketplace.BuildingBlocks.Hosting.Auth;

/// <summary>Who is calling: the participant id is the token's <c>sub</c> claim.</summary>
public static class Caller
{
    public const string SubjectClaim = "sub";
    public const string RoleClaim = "role";

    public static Guid? ParticipantId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(SubjectClaim), out var id) ? id : null;

    public static bool IsOperator(this ClaimsPrincipal user) => user.IsInRole(Roles.Operator);

    /// <summary>True when the caller is an operator or is the participant <paramref name="participantId"/> itself.</summary>
    public static bool MaySee(this ClaimsPrincipal user, Guid participantId) =>
        user.IsOperator() || user.ParticipantId() == participantId;
}
