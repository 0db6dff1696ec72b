using System.Security.Claims;
using Dapper;
using FluentValidation;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.BuildingBlocks.Messaging;

/// <summary>
/// <c>/{service}/audit/failed-messages</c> (operators): the messages this service's consumers gave up on
/// (<see cref="PoisonPolicy"/>) — a summary per consumer (count, oldest, latest error), the list, and for each one a
/// replay (sent again to the one queue that failed, through the outbox, under a new message id) or a discard with a
/// note. A message is replayed or discarded once.
/// </summary>
public static class FailedMessageEndpoints
{
    /// <summary>Maps the four routes for one service (its database and its committer; several services share a host).</summary>
    public static void MapFailedMessages(this RouteGroupBuilder api, string service, ServiceDb db, IUnitOfWorkRunner committer)
    {
        var name = char.ToUpperInvariant(service[0]) + service[1..];
        var group = api.MapGroup("/audit/failed-messages").RequireAuthorization(Roles.Operator);
        group.MapGet("/", ([AsParameters] FailedMessagesQuery query, CancellationToken ct) => ListAsync(db, query, ct))
            .WithName($"List{name}FailedMessages").ProducesValidationProblem();
        group.MapGet("/summary", (CancellationToken ct) => SummaryAsync(db, ct)).WithName($"Summarise{name}FailedMessages");
        group.MapPost("/{id:guid}/replay", (Guid id, ClaimsPrincipal user, TimeProvider time, CancellationToken ct) =>
                ResolveAsync(db, committer, id, FailedMessageStatus.Replayed, null, user, time, ct))
            .WithName($"Replay{name}FailedMessage").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/discard", (Guid id, DiscardRequest request, ClaimsPrincipal user, TimeProvider time, CancellationToken ct) =>
                ResolveAsync(db, committer, id, FailedMessageStatus.Discarded, request.Reason!.Trim(), user, time, ct))
            .WithName($"Discard{name}FailedMessage").ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Ok<Page<FailedMessage>>> ListAsync(ServiceDb db, FailedMessagesQuery query, CancellationToken ct)
    {
        Cursor.TryDecode(query.After, out var after);
        var take = query.Limit ?? Cursor.DefaultPageSize;
        await using var uow = await db.ReadAsync(ct);
        var rows = (await uow.QueryAsync<FailedMessage>(db.Messaging.ListFailed, new
        {
            After = after,
            Status = query.Status is null ? null : Enum.Parse<FailedMessageStatus>(query.Status, ignoreCase: true).ToString(),
            query.Consumer,
            Take = take + 1,
        })).AsList();
        return TypedResults.Ok(Cursor.ToPage(rows, take, m => m.Seq, m => m));
    }

    private static async Task<Ok<IReadOnlyList<FailedMessageSummary>>> SummaryAsync(ServiceDb db, CancellationToken ct)
    {
        await using var uow = await db.ReadAsync(ct);
        return TypedResults.Ok<IReadOnlyList<FailedMessageSummary>>([.. await uow.QueryAsync<FailedMessageSummary>(db.Messaging.SummariseFailed)]);
    }

    private static Task<Results<Ok<FailedMessage>, ProblemHttpResult>> ResolveAsync(
        ServiceDb db, IUnitOfWorkRunner committer, Guid id, FailedMessageStatus status, string? note, ClaimsPrincipal user, TimeProvider time,
        CancellationToken ct) =>
        committer.RunAsync<Results<Ok<FailedMessage>, ProblemHttpResult>>(
            async uow =>
            {
                var failed = await FailedMessageStore.FindAsync(uow, db, id);
                if (failed is null)
                {
                    return Problems.NotFound("The failed message");
                }

                var now = time.GetUtcNow();
                var resolved = await uow.ExecuteAsync(db.Messaging.ResolveFailed, new
                {
                    Id = id, Status = status.ToString(), ResolvedBy = user.ParticipantId(), ResolvedAt = now, Note = note,
                });
                if (resolved == 0)
                {
                    return Problems.IllegalTransition(status == FailedMessageStatus.Replayed ? "replay the message" : "discard the message", failed.Status.ToString());
                }

                if (status == FailedMessageStatus.Replayed)
                {
                    await uow.SendAsync(MessageTypes.Deserialize(failed.Body, MessageTypes.Resolve(failed.MessageType)), failed.Queue, now);
                }

                return TypedResults.Ok((await FailedMessageStore.FindAsync(uow, db, id))!);
            },
            ct);
}

public sealed record FailedMessagesQuery(string? Status, string? Consumer, string? After, int? Limit);

public sealed record DiscardRequest(string? Reason);

internal sealed class FailedMessagesQueryValidator : AbstractValidator<FailedMessagesQuery>
{
    public FailedMessagesQueryValidator()
    {
        RuleFor(q => q.Status).IsEnumName(typeof(FailedMessageStatus), caseSensitive: false);
        RuleFor(q => q.Consumer).MaximumLength(200);
        RuleFor(q => q.After).Must(a => Cursor.TryDecode(a, out _)).WithMessage("Not a cursor this list returned.");
        RuleFor(q => q.Limit).InclusiveBetween(1, Cursor.MaxPageSize);
    }
}

internal sealed class DiscardRequestValidator : AbstractValidator<DiscardRequest>
{
    public DiscardRequestValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
}
