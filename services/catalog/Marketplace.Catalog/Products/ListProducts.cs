using System.Security.Claims;
using Dapper;
using FluentValidation;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.BuildingBlocks.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Catalog.Products;

/// <summary>
/// <c>GET /catalog/products?scope=&amp;status=&amp;owner=&amp;after=&amp;limit=</c>, newest listing order first by id:
/// operators list everything (the review queue is <c>status=submitted</c>); a provider's <c>scope=mine</c> lists its
/// own in every state; everyone else sees listed products only. (Full-text search is a separate endpoint.)
/// </summary>
internal static class ListProducts
{
    private const string Filter = """
        WHERE p.seq > @After
          AND (@Owner IS NULL OR p.owner_id = @Owner)
          AND (@Listing IS NULL OR p.listing = @Listing)
          AND (@PendingState IS NULL OR p.pending_state = @PendingState)
        ORDER BY p.seq
        """;

    private const string ListSqlServer = $"""
        SELECT TOP (@Take) {ProductStore.Columns}
        {ProductStore.From}
        {Filter}
        OPTION (RECOMPILE)
        """;

    private const string ListSqlite = $"""
        SELECT {ProductStore.Columns}
        {ProductStore.From}
        {Filter}
        LIMIT @Take
        """;

    public static async Task<Ok<Page<ProductResponse>>> Handle(
        [AsParameters] ListProductsQuery query, ClaimsPrincipal user, CatalogDb db, CancellationToken ct)
    {
        Cursor.TryDecode(query.After, out var after);
        var take = query.Limit ?? Cursor.DefaultPageSize;
        var mine = string.Equals(query.Scope, "mine", StringComparison.OrdinalIgnoreCase);
        var owner = user.IsOperator() ? query.Owner : mine ? user.ParticipantId() : query.Owner;
        var status = user.IsOperator() || mine ? query.Status : nameof(ListingState.Listed);
        (string? listing, string? pending) = status is null ? (null, null)
            : Enum.TryParse<RevisionState>(status, ignoreCase: true, out var r) ? (nameof(ListingState.Unlisted), r.ToString())
            : (Enum.Parse<ListingState>(status, ignoreCase: true).ToString(), null);

        await using var connection = await db.OpenAsync(ct);
        var rows = (await connection.QueryAsync<Product>(db.Sql(ListSqlServer, ListSqlite), new
        {
            After = after,
            Owner = owner,
            Listing = listing,
            PendingState = pending,
            Take = take + 1,
        })).AsList();
        var operatorOrMine = user.IsOperator() || mine;
        return TypedResults.Ok(Cursor.ToPage(rows, take, p => p.Seq, p => operatorOrMine ? p.ToFullView() : p.ToBuyerView()));
    }
}

public sealed record ListProductsQuery(string? Scope, string? Status, Guid? Owner, string? After, int? Limit);

internal sealed class ListProductsQueryValidator : AbstractValidator<ListProductsQuery>
{
    public ListProductsQueryValidator()
    {
        RuleFor(q => q.Scope).Must(s => s is null || s.Equals("mine", StringComparison.OrdinalIgnoreCase) || s.Equals("all", StringComparison.OrdinalIgnoreCase))
            .WithMessage("Scope must be 'mine' or 'all'.");
        RuleFor(q => q.Status)
            .Must(s => s is null || Enum.TryParse<RevisionState>(s, true, out _) || (Enum.TryParse<ListingState>(s, true, out var l) && l != ListingState.Unlisted))
            .WithMessage("Status must be draft, submitted, underReview, listed, suspended or delisted.");
        RuleFor(q => q.After).Must(a => Cursor.TryDecode(a, out _)).WithMessage("Not a cursor this list returned.");
        RuleFor(q => q.Limit).InclusiveBetween(1, Cursor.MaxPageSize);
    }
}
