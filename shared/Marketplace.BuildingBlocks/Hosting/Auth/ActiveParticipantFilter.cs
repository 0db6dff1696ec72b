using Dapper;
using Marketplace.BuildingBlocks.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Marketplace.BuildingBlocks.Hosting.Auth;

/// <summary>
/// The one authorization rule for participants' writes: a participant (a provider or buyer token) changes anything —
/// any request but GET and HEAD, on every endpoint of every service — only while it is admitted and active in the
/// service's own copy of the participants (<c>{schema}.participants</c>). A suspended participant still reads its
/// own records. Operators and the endpoints that take no token (signed webhooks, public verification) are not
/// participants' writes; an endpoint that takes a body but changes nothing says so with <see cref="ChangesNothing"/>.
/// </summary>
public sealed class ActiveParticipantFilter(ServiceDb db) : IEndpointFilter
{
    /// <summary>Every service's read model of participants has this table and column, with catalog's status names.</summary>
    internal const string StatusSql = "SELECT status FROM $schema$.participants WHERE id = @Id";

    private readonly string statusSql = StatusSql.Replace("$schema$", db.Schema, StringComparison.Ordinal);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || http.User.Identity?.IsAuthenticated != true
            || http.User.IsOperator() || http.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null
            || http.GetEndpoint()?.Metadata.GetMetadata<ChangesNothingMarker>() is not null
            || http.User.ParticipantId() is not { } participant)
        {
            return await next(context);
        }

        await using var connection = await db.OpenAsync(http.RequestAborted);
        var status = await connection.QuerySingleOrDefaultAsync<string>(statusSql, new { Id = participant });
        if (status == "Active")
        {
            return await next(context);
        }

        return TypedResults.Problem(
            status is null
                ? $"Participant {participant} is not known to {db.Schema} as an admitted participant."
                : $"Participant {participant} is {status.ToLowerInvariant()}: it may read its own records but change nothing until reinstated.",
            statusCode: StatusCodes.Status403Forbidden,
            title: "Not an active participant",
            extensions: new Dictionary<string, object?> { ["reason"] = status is null ? "participant-not-admitted" : "participant-suspended" });
    }

}

public static class ChangesNothingExtensions
{
    /// <summary>Marks a POST that changes nothing (an estimate), so a suspended participant may still call it.</summary>
    public static TBuilder ChangesNothing<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new ChangesNothingMarker());
}

/// <summary>Endpoint metadata: this POST changes nothing (<see cref="ChangesNothingExtensions.ChangesNothing"/>).</summary>
public sealed class ChangesNothingMarker;
