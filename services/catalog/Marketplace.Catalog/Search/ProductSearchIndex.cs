using Marketplace.BuildingBlocks.Data;
using Marketplace.Catalog.Products;
using Marketplace.Contracts.Catalog;

namespace Marketplace.Catalog.Search;

/// <summary>
/// Keeps the search index in step with listings, in the same transaction as the change: a listed product's listed
/// revision is indexed (again, when a revision is approved); a suspended or delisted one is removed.
/// </summary>
internal static class ProductSearchIndex
{
    private const string FindSql = "SELECT seq FROM catalog.product_search WHERE product_id = @ProductId";

    private const string UpdateSqlServer = """
        UPDATE catalog.product_search
        SET owner_id = @OwnerId, title = @Title, body = @Body, category = @Category, subject = @Subject, grade = @Grade,
            delivery = @Delivery
        WHERE seq = @Seq
        """;

    private const string InsertSqlServer = $"""
        INSERT INTO catalog.product_search (product_id, owner_id, title, body, category, subject, grade, delivery, min_price, certified, listed_at)
        VALUES (@ProductId, @OwnerId, @Title, @Body, @Category, @Subject, @Grade, @Delivery, ({RecordPlanPriceConsumer.MinPriceSql}),
            ({Certificates.ProductCertificates.CertifiedSql}), @ListedAt)
        """;

    private const string UpdateSqlite = """
        UPDATE catalog.product_search
        SET owner_id = @OwnerId, title = @Title, category = @Category, subject = @Subject, grade = @Grade, delivery = @Delivery
        WHERE seq = @Seq
        """;

    private const string InsertSqlite = $"""
        INSERT INTO catalog.product_search (product_id, owner_id, title, category, subject, grade, delivery, min_price, certified, listed_at)
        VALUES (@ProductId, @OwnerId, @Title, @Category, @Subject, @Grade, @Delivery, ({RecordPlanPriceConsumer.MinPriceSql}),
            ({Certificates.ProductCertificates.CertifiedSql}), @ListedAt)
        RETURNING seq
        """;

    private const string InsertTokensSqlite = """
        INSERT INTO catalog.product_fts (rowid, title, body) VALUES (@Seq, @TitleTokens, @BodyTokens)
        """;

    private const string RemoveTokensSqlite = "DELETE FROM catalog.product_fts WHERE rowid = @Seq";

    private const string RemoveSql = "DELETE FROM catalog.product_search WHERE seq = @Seq";

    public static int DeliveryBits(IEnumerable<DeliveryMethod> methods) => methods.Aggregate(0, (bits, m) => bits | (1 << (int)m));

    /// <summary>Brings the index in line with the product's listing, if the listing or its revision changed.</summary>
    public static async Task SyncAsync(UnitOfWork uow, CatalogDb db, Product before, Product after, DateTimeOffset now)
    {
        if (before.Listing == after.Listing && before.ListedRevision == after.ListedRevision)
        {
            return;
        }

        var seq = await uow.QuerySingleOrDefaultAsync<long?>(FindSql, new { ProductId = after.Id });
        if (after.Listing != ListingState.Listed)
        {
            if (seq is not null)
            {
                if (db.Provider == DatabaseProvider.Sqlite)
                {
                    await uow.ExecuteAsync(RemoveTokensSqlite, new { Seq = seq });
                }

                await uow.ExecuteAsync(RemoveSql, new { Seq = seq });
            }

            return;
        }

        var content = ProductContent.FromJson(after.ListedContent!);
        var body = string.Join(' ', [content.Description, .. content.Tags ?? []]);
        var row = new
        {
            Seq = seq ?? 0,
            ProductId = after.Id,
            after.OwnerId,
            content.Title,
            Body = body,
            content.Category,
            Subject = content.Subject.ToString(),
            Grade = content.Grade.ToString(),
            Delivery = DeliveryBits(content.DeliveryMethods!),
            ListedAt = now,
        };
        if (db.Provider == DatabaseProvider.SqlServer)
        {
            await uow.ExecuteAsync(seq is null ? InsertSqlServer : UpdateSqlServer, row);
            return;
        }

        var rowSeq = seq ?? await uow.ExecuteScalarAsync<long>(InsertSqlite, row);
        if (seq is not null)
        {
            await uow.ExecuteAsync(UpdateSqlite, row);
        }

        await uow.ExecuteAsync(RemoveTokensSqlite, new { Seq = rowSeq });
        await uow.ExecuteAsync(InsertTokensSqlite, new
        {
            Seq = rowSeq,
            TitleTokens = SearchText.ForIndex(content.Title),
            BodyTokens = SearchText.ForIndex(body),
        });
    }
}
