using Marketplace.BuildingBlocks.Hosting.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Pricing.Quotes;

/// <summary>Routes of quotes and estimates. Quotes themselves are issued only on settlement's request (<see cref="IssueQuoteConsumer"/>).</summary>
internal static class QuoteEndpoints
{
    public static void MapQuotes(this RouteGroupBuilder api)
    {
        api.MapPost("/products/{productId:guid}/estimate", EstimatePrice.Handle)
            .RequireAuthorization(Roles.AnyParticipant).ChangesNothing().WithName("EstimatePrice")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/quotes", ReadQuotes.List).RequireAuthorization(Roles.AnyParticipant).WithName("ListQuotes").ProducesValidationProblem();
        api.MapGet("/quotes/{id:guid}", ReadQuotes.Get).RequireAuthorization(Roles.AnyParticipant).WithName("GetQuote")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
