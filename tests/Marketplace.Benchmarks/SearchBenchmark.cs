using System.Diagnostics;
using Dapper;
using Marketplace.BuildingBlocks.Data;
using Marketplace.Catalog;
using Marketplace.Catalog.Search;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marketplace.Benchmarks;

/// <summary>
/// Catalog search at scale, embedded mode (SQLite FTS5): generates listed products with Chinese and English text,
/// measures the index build, keyword and filtered top-20 latency, throughput with 8 concurrent clients and memory,
/// and checks that a filtered keyword query still uses the full-text index (a MATCH mixed with filters can silently
/// become a scan). It calls the same SQL the endpoint runs, through SearchProducts' statements.
/// </summary>
internal static class SearchBenchmark
{
    private static readonly string[] Regions = ["北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "西安", "南京", "长三角", "粤港澳", "京津冀"];
    private static readonly string[] Domains = ["交通流量", "气象观测", "电力负荷", "企业信用", "医疗服务", "物流运输", "金融交易", "农业产量", "空气质量", "人口流动", "零售消费", "港口吞吐"];
    private static readonly string[] Kinds = ["数据", "指数", "统计", "监测数据", "预测模型", "明细", "报告", "画像"];
    private static readonly string[] English = ["traffic", "weather", "power", "credit", "health", "logistics", "finance", "agriculture", "air", "population", "retail", "port", "hourly", "daily", "forecast", "counts", "observations", "index"];
    private static readonly string[] Queries = ["交通流量", "气象", "企业信用 上海", "电力负荷 forecast", "医疗", "港口吞吐", "空气质量指数", "logistics", "retail daily", "长三角 交通"];

    public static async Task RunAsync(int products, int queries)
    {
        var directory = Directory.CreateTempSubdirectory("marketplace-search-bench-").FullName;
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Sqlite",
                ["Database:SqliteDirectory"] = directory,
            }).Build();
            var db = new CatalogDb(configuration);
            await new Migrator(db, typeof(CatalogDb).Assembly, NullLogger.Instance).MigrateAsync();

            var build = Stopwatch.StartNew();
            await GenerateAsync(db, products);
            build.Stop();
            Console.WriteLine($"Search over {products:N0} listed products (SQLite FTS5, CJK bigrams), {Environment.ProcessorCount} cores");
            Console.WriteLine($"index build (generate + tokenise + insert + FTS): {build.Elapsed.TotalSeconds:F1} s, database {new FileInfo(Path.Combine(directory, "catalog.db")).Length / 1048576.0:F0} MiB");

            await using (var connection = await db.OpenAsync())
            {
                var plan = string.Join(" | ", (await connection.QueryAsync(
                    "EXPLAIN QUERY PLAN " + SearchProducts.MatchSqlite, Parameters("企业信用", "J"))).Select(row => (string)row.detail));
                var usesIndex = plan.Contains("VIRTUAL TABLE INDEX", StringComparison.Ordinal);
                Console.WriteLine($"filtered keyword query plan uses the full-text index: {(usesIndex ? "yes" : "NO")} ({plan})");
                if (!usesIndex)
                {
                    throw new InvalidOperationException("A filtered keyword search no longer uses the FTS index: " + plan);
                }
            }

            Console.WriteLine($"{"scenario",-36} {"queries/s",10} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8}");
            await Measure(db, "keyword top-20, 1 client", queries, 1, i => Statement(Queries[i % Queries.Length], null));
            await Measure(db, "keyword + category top-20, 1 client", queries, 1, i => Statement(Queries[i % Queries.Length], ((char)('A' + (i % 20))).ToString()));
            await Measure(db, "keyword top-20, 8 clients", queries, 8, i => Statement(Queries[i % Queries.Length], null));
            GC.Collect();
            Console.WriteLine($"process working set {Environment.WorkingSet / 1048576.0:F0} MiB, managed heap {GC.GetTotalMemory(false) / 1048576.0:F0} MiB");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The statement the endpoint would run for this search, and its parameters.</summary>
    private static (string Sql, object Values) Statement(string q, string? category) =>
        (SearchProducts.SqliteMatchFor(filtered: category is not null, SearchSort.Relevance), Parameters(q, category));

    private static object Parameters(string q, string? category) => new
    {
        Match = SearchText.ForQuery(q),
        TitleMatch = SearchText.InTitle(SearchText.ForQuery(q)!),
        Sort = 0,
        Category = category,
        Subject = (string?)null,
        Grade = (string?)null,
        Delivery = 0,
        Provider = (Guid?)null,
        MinPrice = (long?)null,
        MaxPrice = (long?)null,
        Certified = (bool?)null,
        AfterKey = double.MinValue,
        AfterSeq = 0L,
        Take = 21,
        SearchProducts.Candidates,
    };

    private static async Task Measure(CatalogDb db, string name, int queries, int clients, Func<int, (string Sql, object Values)> parameters)
    {
        var latencies = new double[queries];
        var next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            await using var connection = await db.OpenAsync();
            int i;
            while ((i = Interlocked.Increment(ref next)) < queries)
            {
                var started = Stopwatch.GetTimestamp();
                var (sql, values) = parameters(i);
                (await connection.QueryAsync<SearchHit>(sql, values)).AsList();
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })));
        total.Stop();
        Array.Sort(latencies);
        double P(double q) => latencies[Math.Min(queries - 1, (int)(q * queries))];
        Console.WriteLine($"{name,-36} {queries / total.Elapsed.TotalSeconds,10:F0} {P(0.50),8:F2} {P(0.95),8:F2} {P(0.99),8:F2} {latencies[^1],8:F2}");
    }

    private static async Task GenerateAsync(CatalogDb db, int products)
    {
        var random = new Random(20261125);
        await using var uow = await db.BeginAsync();
        var owners = Enumerable.Range(0, 500).Select(_ => Guid.CreateVersion7()).ToArray();
        for (var i = 0; i < products; i++)
        {
            var region = Regions[random.Next(Regions.Length)];
            var domain = Domains[random.Next(Domains.Length)];
            var title = $"{region}{domain}{Kinds[random.Next(Kinds.Length)]}";
            var body = $"{region}地区{domain}的{Kinds[random.Next(Kinds.Length)]}，按{(random.Next(2) == 0 ? "小时" : "日")}更新。"
                + string.Join(' ', Enumerable.Range(0, 6).Select(_ => English[random.Next(English.Length)]));
            var seq = await uow.ExecuteScalarAsync<long>(
                "INSERT INTO catalog.product_search (product_id, owner_id, title, category, subject, grade, delivery, min_price, listed_at) VALUES (@Id, @Owner, @Title, @Category, 'Enterprise', 'General', 3, @Price, @At) RETURNING seq",
                new
                {
                    Id = Guid.CreateVersion7(),
                    Owner = owners[random.Next(owners.Length)],
                    Title = title,
                    Category = ((char)('A' + random.Next(20))).ToString(),
                    Price = (long)random.Next(100, 10_000_000),
                    At = DateTimeOffset.UtcNow,
                });
            await uow.ExecuteAsync(
                "INSERT INTO catalog.product_fts (rowid, title, body) VALUES (@Seq, @Title, @Body)",
                new { Seq = seq, Title = SearchText.ForIndex(title), Body = SearchText.ForIndex(body) });
        }

        await uow.CommitAsync();
    }
}
