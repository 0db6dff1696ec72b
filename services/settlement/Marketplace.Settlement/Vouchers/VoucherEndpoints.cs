using System.Security.Claims;
using Dapper;
using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Marketplace.BuildingBlocks.Signing;
using Marketplace.Settlement.Journal;
using Marketplace.Settlement.Orders;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Settlement.Vouchers;

/// <summary>
/// <c>GET /settlement/vouchers/{number}/verification</c> and <c>GET /settlement/vouchers/keys</c> (anyone, no token:
/// a court or either party verifies a voucher, online or offline with the published key); <c>GET
/// /settlement/orders/{id}/voucher</c> (the trade's buyer and seller, operators); <c>GET /settlement/journal/verification</c>
/// (operator): the whole trade journal checked link by link.
/// </summary>
internal static class VoucherEndpoints
{
    private const string Columns = "number, order_id, payload, digest, signature, key_id, issued_at";

    private const string ByNumberSql = $"SELECT {Columns} FROM settlement.vouchers WHERE number = @Number";

    private const string ByOrderSql = $"SELECT {Columns} FROM settlement.vouchers WHERE order_id = @OrderId";

    private const string JournalAtSql = "SELECT hash FROM settlement.trade_journal WHERE position = @Position";

    public static void MapVouchers(this RouteGroupBuilder api)
    {
        api.MapVerificationKeys<SettlementDb>("/vouchers/keys").WithName("GetVoucherKeys");
        api.MapGet("/vouchers/{number}/verification", Verify).AllowAnonymous().WithName("VerifyVoucher").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/orders/{id:guid}/voucher", ForOrder).RequireAuthorization(Roles.AnyParticipant).WithName("GetOrderVoucher").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/journal/verification", async (SettlementDb db, CancellationToken ct) => TypedResults.Ok(await TradeJournal.VerifyAsync(db, ct)))
            .RequireAuthorization(Roles.Operator).WithName("VerifyTradeJournal");
    }

    /// <summary>Checks the signature over the stored payload and that the journal still holds, at the voucher's position, the hash it names.</summary>
    private static async Task<Results<Ok<VoucherVerification>, ProblemHttpResult>> Verify(
        string number, SettlementDb db, ExchangeSigner<SettlementDb> signer, CancellationToken ct)
    {
        await using var uow = await db.ReadAsync(ct);
        if (await uow.QuerySingleOrDefaultAsync<Voucher>(ByNumberSql, new { Number = number }) is not { } voucher)
        {
            return Problems.NotFound("The voucher");
        }

        var signatureValid = VoucherIssuer.Digest(voucher.Payload) == voucher.Digest && await signer.VerifyAsync(uow, voucher.KeyId, voucher.Payload, voucher.Signature);
        var payload = System.Text.Json.JsonDocument.Parse(voucher.Payload).RootElement;
        var position = payload.GetProperty("journalPosition").GetInt64();
        var journalHash = await uow.Connection.ExecuteScalarAsync<string>(JournalAtSql, new { Position = position }, uow.Transaction);
        return TypedResults.Ok(new VoucherVerification(
            number, signatureValid, journalHash == payload.GetProperty("journalHash").GetString(), voucher.Payload, voucher.Digest, voucher.Signature, voucher.KeyId));
    }

    private static async Task<Results<Ok<Voucher>, ProblemHttpResult>> ForOrder(Guid id, ClaimsPrincipal user, SettlementDb db, CancellationToken ct)
    {
        await using var uow = await db.ReadAsync(ct);
        var order = await OrderStore.FindAsync(uow, id);
        var voucher = order is null || !(user.MaySee(order.BuyerId) || user.MaySee(order.SellerId))
            ? null
            : await uow.QuerySingleOrDefaultAsync<Voucher>(ByOrderSql, new { OrderId = id });
        return voucher is null ? Problems.NotFound("The voucher") : TypedResults.Ok(voucher);
    }
}

/// <summary>The signature's verdict, and whether the journal still holds the entry the voucher was issued at.</summary>
public sealed record VoucherVerification(string Number, bool SignatureValid, bool JournalMatches, string Payload, string Digest, string Signature, string KeyId);
