using System.Security.Claims;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Catalog.Participants;

/// <summary><c>GET /catalog/participants/{id}</c>: a participant reads its own record; operators read any.</summary>
internal static class GetParticipant
{
    public static async Task<Results<Ok<ParticipantResponse>, ProblemHttpResult>> Handle(
        Guid id, HttpContext http, ClaimsPrincipal user, CatalogDb db, CancellationToken ct)
    {
        // Someone else's record answers exactly like a missing one: its existence is not disclosed.
        var participant = user.MaySee(id) ? await ParticipantStore.FindAsync(db, id, ct) : null;
        if (participant is null)
        {
            return Problems.NotFound("The participant");
        }

        ETags.Set(http, participant.Version);
        return TypedResults.Ok(participant.ToResponse());
    }
}
