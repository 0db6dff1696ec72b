using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Dapper;
using FluentValidation;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Catalog.Search;

public enum SearchSort
{
    Relevance,
    Newest,
    Price,
}

/// <summary>
/// <c>GET /catalog/search?q=&amp;category=&amp;subject=&amp;grade=&amp;delivery=&amp;provider=&amp;minPrice=&amp;maxPrice=&amp;certified=&amp;sort=&amp;after=&amp;limit=</c>
/// (any admitted participant; rate-limited): full-text over title, description and tags of listed products, with
/// filters, sorted by relevance, newest or price, keyset-paginated (≤ 100 a page, query ≤ 256 characters). SQLite
/// answers with FTS5 over <see cref="SearchText"/> tokens, SQL Server with CONTAINSTABLE over its Chinese word
/// breaker: one endpoint, the two statements side by side.
/// </summary>
internal static class SearchProducts
{
    public const string RateLimitPolicy = "catalog-search";

    private const string Filters = """
        (@Category IS NULL OR s.category = @Category)
          AND (@Subject IS NULL OR s.subject = @Subject)
          AND (@Grade IS NULL OR s.grade = @Grade)
          AND (@Delivery = 0 OR (s.delivery & @Delivery) <> 0)
          AND (@Provider IS NULL OR s.owner_id = @Provider)
          AND (@MinPrice IS NULL OR s.min_price >= @MinPrice)
          AND (@MaxPrice IS NULL OR s.min_price <= @MaxPrice)
          AND (@Certified IS NULL OR s.certified = @Certified)
        """;

    private const string Columns = "s.seq, s.product_id, s.owner_id, s.title, s.category, s.subject, s.grade, s.delivery, s.min_price, s.certified, s.listed_at";

    /// <summary>
    /// How many matches a keyword search ranks in each tier: the most recently listed ones. FTS5 walks a term's
    /// matches in rowid order and stops after this many, so a broad query (数据 across a million products) costs what
    /// a narrow one does. SQL Server's CONTAINSTABLE takes the same bound as its top-n-by-rank.
    /// </summary>
    public const int Candidates = 1000;

    /// <summary>Where a body-only match's relevance key starts: every title match (key −seq) sorts before it.</summary>
    private const string BodyTier = "1.0e15";

    /// <summary>
    /// The candidates of a keyword search with their relevance key: matches in the title first, then matches in the
    /// description and tags, each newest first (key −seq, or 10¹⁵ − seq for the second tier; seq stays far below;
    /// always REAL, as Dapper maps a column by its first row). Not bm25: its IDF needs a pass over every match of each
    /// phrase, which at a million products cost most of a search (see the catalog README). <c>@Sort</c> other than
    /// relevance skips the title tier. SQL Server ranks by CONTAINSTABLE's own RANK instead.
    /// </summary>
    private static string Tiers(string join, string filters) => $"""
        SELECT seq, MIN(tier_key) AS tier_key FROM (
            SELECT * FROM (
                SELECT product_fts.rowid AS seq, 0.0 - product_fts.rowid AS tier_key
                FROM catalog.product_fts{join}
                WHERE @Sort = 0 AND product_fts MATCH @TitleMatch{filters}
                ORDER BY product_fts.rowid DESC
                LIMIT @Candidates)
            UNION ALL
            SELECT * FROM (
                SELECT product_fts.rowid AS seq, {BodyTier} - product_fts.rowid AS tier_key
                FROM catalog.product_fts{join}
                WHERE product_fts MATCH @Match{filters}
                ORDER BY product_fts.rowid DESC
                LIMIT @Candidates))
        GROUP BY seq
        """;

    /// <summary>
    /// Relevance: <see cref="Tiers"/>. Newest: by listing order. Price: cheapest first. Filters apply before the
    /// candidate bound, so they join <c>product_search</c> first. Sort keys are REAL in every row: Dapper maps a column
    /// by its first row's type, so an integer price beside an unpriced product's 9e18 failed the search.
    /// </summary>
    internal static readonly string MatchSqlite = $"""
        SELECT * FROM (
            SELECT {Columns}, CASE @Sort WHEN 0 THEN t.tier_key WHEN 1 THEN -s.seq ELSE CAST(COALESCE(s.min_price, 9.0e18) AS REAL) END AS sort_key
            FROM ({Tiers(" JOIN catalog.product_search s ON s.seq = product_fts.rowid", " AND " + Filters)}) t
            JOIN catalog.product_search s ON s.seq = t.seq) r
        WHERE r.sort_key > @AfterKey OR (r.sort_key = @AfterKey AND r.seq > @AfterSeq)
        ORDER BY r.sort_key, r.seq
        LIMIT @Take
        """;

    /// <summary>
    /// The same answer for the common case — no filter, by relevance or newest — cheaper: the candidates are ranked
    /// inside the full-text index alone and only the page is joined to <c>product_search</c>. (With a filter the join
    /// must come first so filters apply before the candidate bound; price needs every candidate's price.)
    /// </summary>
    internal static readonly string RankSqlite = $"""
        SELECT {Columns}, p.sort_key
        FROM (
            SELECT r.seq, r.sort_key FROM (
                SELECT seq, CASE @Sort WHEN 0 THEN tier_key ELSE -seq END AS sort_key FROM ({Tiers("", "")})) r
            WHERE r.sort_key > @AfterKey OR (r.sort_key = @AfterKey AND r.seq > @AfterSeq)
            ORDER BY r.sort_key, r.seq
            LIMIT @Take) p
        JOIN catalog.product_search s ON s.seq = p.seq
        ORDER BY p.sort_key, p.seq
        """;

    /// <summary>The SQLite statement for a keyword search: <see cref="RankSqlite"/> when it gives the same answer
    /// cheaper, else <see cref="MatchSqlite"/>. The search benchmark picks its statement here too.</summary>
    internal static string SqliteMatchFor(bool filtered, SearchSort sort) =>
        filtered || sort == SearchSort.Price ? MatchSqlite : RankSqlite;

    private const string MatchSqlServer = $"""
        SELECT TOP (@Take) * FROM (
            SELECT {Columns},
                   CASE @Sort WHEN 0 THEN -CAST(f.[RANK] AS float) WHEN 1 THEN -CAST(s.seq AS float) ELSE CAST(COALESCE(s.min_price, 9000000000000000000) AS float) END AS sort_key
            FROM CONTAINSTABLE(catalog.product_search, (title, body), @Match, @Candidates) f
            JOIN catalog.product_search s ON s.seq = f.[KEY]
            WHERE {Filters}) r
        WHERE r.sort_key > @AfterKey OR (r.sort_key = @AfterKey AND r.seq > @AfterSeq)
        ORDER BY r.sort_key, r.seq
        """;

    private const string BrowseSqlite = $"""
        SELECT * FROM (
            SELECT {Columns},
                   CASE @Sort WHEN 2 THEN CAST(COALESCE(s.min_price, 9.0e18) AS REAL) ELSE -s.seq END AS sort_key
            FROM catalog.product_search s
            WHERE {Filters}) r
        WHERE r.sort_key > @AfterKey OR (r.sort_key = @AfterKey AND r.seq > @AfterSeq)
        ORDER BY r.sort_key, r.seq
        LIMIT @Take
        """;

    private const string BrowseSqlServer = $"""
        SELECT TOP (@Take) * FROM (
            SELECT {Columns},
                   CASE @Sort WHEN 2 THEN CAST(COALESCE(s.min_price, 9000000000000000000) AS float) ELSE -CAST(s.seq AS float) END AS sort_key
            FROM catalog.product_search s
            WHERE {Filters}) r
        WHERE r.sort_key > @AfterKey OR (r.sort_key = @AfterKey AND r.seq > @AfterSeq)
        ORDER BY r.sort_key, r.seq
        """;

    public static async Task<Ok<Page<SearchHit>>> Handle([AsParameters] SearchQuery query, CatalogDb db, CancellationToken ct)
    {
        var match = string.IsNullOrWhiteSpace(query.Q) ? null
            : db.Provider == BuildingBlocks.Data.DatabaseProvider.SqlServer ? SearchText.ForSqlServer(query.Q) : SearchText.ForQuery(query.Q);
        var sort = query.Sort is null ? (match is null ? SearchSort.Newest : SearchSort.Relevance) : Enum.Parse<SearchSort>(query.Sort, ignoreCase: true);
        var (afterKey, afterSeq) = SearchCursor.Decode(query.After);
        var take = query.Limit ?? 20;
        var filtered = query.Category is not null || query.Subject is not null || query.Grade is not null || query.Delivery is not null
            || query.Provider is not null || query.MinPrice is not null || query.MaxPrice is not null || query.Certified is not null;
        var sql = match is null ? db.Sql(BrowseSqlServer, BrowseSqlite) : db.Sql(MatchSqlServer, SqliteMatchFor(filtered, sort));

        await using var connection = await db.OpenAsync(ct);
        var rows = (await connection.QueryAsync<SearchHit>(sql, new
        {
            Match = match,
            TitleMatch = match is null ? null : SearchText.InTitle(match),
            Sort = (int)sort,
            Category = query.Category,
            Subject = query.Subject is null ? null : Enum.Parse<DataSubject>(query.Subject, true).ToString(),
            Grade = query.Grade is null ? null : Enum.Parse<DataGrade>(query.Grade, true).ToString(),
            Delivery = query.Delivery is null ? 0 : ProductSearchIndex.DeliveryBits([Enum.Parse<DeliveryMethod>(query.Delivery, true)]),
            query.Provider,
            query.MinPrice,
            query.MaxPrice,
            query.Certified,
            AfterKey = afterKey,
            AfterSeq = afterSeq,
            Take = take + 1,
            Candidates,
        })).AsList();
        var hasMore = rows.Count > take;
        var items = rows.Take(take).ToList();
        return TypedResults.Ok(new Page<SearchHit>(items, hasMore ? SearchCursor.Encode(items[^1].SortKey, items[^1].Seq) : null));
    }
}

/// <summary>Keyset cursor over (sort key, seq).</summary>
internal static class SearchCursor
{
    public static string Encode(double key, long seq) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(key.ToString("R", CultureInfo.InvariantCulture) + "|" + seq.ToString(CultureInfo.InvariantCulture)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static (double Key, long Seq) Decode(string? cursor) =>
        TryDecode(cursor, out var key, out var seq) ? (key, seq) : (double.MinValue, 0);

    public static bool TryDecode(string? cursor, out double key, out long seq)
    {
        (key, seq) = (double.MinValue, 0);
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            var parts = text.Split('|');
            return parts.Length == 2
                && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out key)
                && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out seq);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

public sealed record SearchHit
{
    [System.Text.Json.Serialization.JsonIgnore]
    public long Seq { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public double SortKey { get; init; }

    public Guid ProductId { get; init; }

    public Guid OwnerId { get; init; }

    public string Title { get; init; } = "";

    public string Category { get; init; } = "";

    public string Subject { get; init; } = "";

    public string Grade { get; init; } = "";

    public long? MinPrice { get; init; }

    /// <summary>Whether a registration certificate over the product's data is in force (<c>GET /catalog/products/{id}/certificates</c>).</summary>
    public bool Certified { get; init; }

    public DateTimeOffset ListedAt { get; init; }
}

public sealed record SearchQuery(
    string? Q, string? Category, string? Subject, string? Grade, string? Delivery, Guid? Provider,
    long? MinPrice, long? MaxPrice, bool? Certified, string? Sort, string? After, int? Limit);

internal sealed class SearchQueryValidator : AbstractValidator<SearchQuery>
{
    public SearchQueryValidator()
    {
        RuleFor(q => q.Q).MaximumLength(256);
        RuleFor(q => q.Q).Must(q => SearchText.ForQuery(q!) is not null).WithMessage("The query has nothing to search for.")
            .When(q => !string.IsNullOrWhiteSpace(q.Q));
        RuleFor(q => q.Category).Must(c => c is null || Products.ProductContentValidator.Categories.Contains(c))
            .WithMessage("Category must be a GB/T 4754 section letter, A to T.");
        RuleFor(q => q.Subject).IsEnumName(typeof(DataSubject), caseSensitive: false);
        RuleFor(q => q.Grade).IsEnumName(typeof(DataGrade), caseSensitive: false);
        RuleFor(q => q.Delivery).IsEnumName(typeof(DeliveryMethod), caseSensitive: false);
        RuleFor(q => q.MinPrice).GreaterThanOrEqualTo(0);
        RuleFor(q => q.MaxPrice).GreaterThanOrEqualTo(q => q.MinPrice ?? 0);
        RuleFor(q => q.Sort).IsEnumName(typeof(SearchSort), caseSensitive: false);
        RuleFor(q => q.After).Must(a => SearchCursor.TryDecode(a, out _, out _)).WithMessage("Not a cursor this search returned.");
        RuleFor(q => q.Limit).InclusiveBetween(1, Cursor.MaxPageSize);
    }
}
