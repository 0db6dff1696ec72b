using System.Text.Json;
using FluentValidation;
using Marketplace.BuildingBlocks;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Settlement.Ledger;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Marketplace.Settlement.Deposits;

/// <summary>
/// <c>POST /settlement/deposits/webhook</c> (no token: the payment provider signs the call, see
/// <see cref="WebhookSignature"/>). The secret is <c>Settlement:Webhook:Secret</c> (base64); without it the
/// webhook does not exist. A replayed call — a stale signature, or a reference credited before — is refused.
/// </summary>
internal static class DepositWebhook
{
    public static async Task<Results<Ok<DepositResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        HttpRequest http, IOptions<SettlementOptions> options, IValidator<DepositWebhookRequest> validator, GroupCommitter<SettlementDb> committer,
        Ledger.LedgerPoster ledger, TimeProvider time, CancellationToken ct)
    {
        if (options.Value.Webhook.Key is not { } key)
        {
            return Problems.NotFound("The deposit webhook");
        }

        using var reader = new StreamReader(http.Body);
        var body = await reader.ReadToEndAsync(ct);
        var now = time.GetUtcNow();
        // Freshness is judged on the wall clock, as the provider signs: the exchange's clock may be moved outside Production.
        if (WebhookSignature.Check(key, http.Headers[WebhookSignature.Header], body, TimeProvider.System.GetUtcNow()) is { } refusal)
        {
            return TypedResults.Problem(refusal, statusCode: StatusCodes.Status401Unauthorized, title: "Bad signature");
        }

        DepositWebhookRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<DepositWebhookRequest>(body, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request is null)
        {
            return TypedResults.Problem("The body is not valid JSON.", statusCode: StatusCodes.Status400BadRequest, title: "Bad request");
        }

        var validation = await validator.ValidateAsync(request, ct);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.ToFieldErrors());
        }

        var deposit = new DepositResponse
        {
            Id = DeterministicId.From("webhook-deposit", request.Reference!),
            ParticipantId = request.ParticipantId!.Value,
            Currency = request.Currency!,
            Amount = request.Amount!.Value,
            Source = DepositSource.Webhook,
            Reference = request.Reference!,
            RecordedAt = now,
        };
        try
        {
            var recorded = await committer.RunAsync(
                async uow => await Deposits.FindAsync(uow, deposit.Id) is null ? await Deposits.RecordAsync(uow, ledger, deposit, null) : null,
                ct);
            return recorded is null ? Replayed() : TypedResults.Ok(recorded);
        }
        catch (DuplicateDepositException)
        {
            return Replayed();
        }
        catch (LedgerException e)
        {
            return e.ToProblem("amount");
        }
    }

    private static ProblemHttpResult Replayed() => TypedResults.Problem(
        "This deposit reference was credited already: a replayed call.", statusCode: StatusCodes.Status409Conflict, title: "Replayed webhook");
}

public sealed record DepositWebhookRequest(Guid? ParticipantId, long? Amount, string? Currency, string? Reference);

internal sealed class DepositWebhookRequestValidator : AbstractValidator<DepositWebhookRequest>
{
    public DepositWebhookRequestValidator()
    {
        RuleFor(r => r.ParticipantId).NotNull().NotEqual(Guid.Empty);
        RuleFor(r => r.Amount).ValidAmount();
        RuleFor(r => r.Currency).ValidCurrency();
        RuleFor(r => r.Reference).NotEmpty().MaximumLength(100);
    }
}
