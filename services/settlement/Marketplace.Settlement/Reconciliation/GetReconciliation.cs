using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Settlement.Reconciliation;

/// <summary><c>GET /settlement/reconciliation</c> (operator): reconciles the ledger now and reports every difference.</summary>
internal static class GetReconciliation
{
    public static async Task<Ok<ReconciliationReport>> Handle(Reconciler reconciler, CancellationToken ct) =>
        TypedResults.Ok(await reconciler.RunAsync(ct));
}
