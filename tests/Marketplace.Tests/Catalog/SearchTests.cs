using System.Net;
using System.Net.Http.Json;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Catalog.Search;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Catalog;

/// <summary>
/// Search over a small realistic catalogue: Chinese two-, three- and four-character words, mixed Chinese and
/// English, English stems, filters, sorting and paging — and nothing absurd (characters that merely occur apart).
/// </summary>
public sealed class SearchTests(SearchTests.Catalogue catalogue) : IClassFixture<SearchTests.Catalogue>
{
    public sealed class Catalogue : IAsyncLifetime
    {
        public EmbeddedMarketplace M { get; } = new();

        public Dictionary<string, Guid> Ids { get; } = [];

        public Guid OtherProvider { get; private set; }

        public async Task InitializeAsync()
        {
            var a = await ProductSteps.ForNewProviderAsync(M);
            var b = await ProductSteps.ForNewProviderAsync(M);
            OtherProvider = (await b.CreateAsync()).OwnerId;
            await List(a, "traffic", "长三角城市交通流量数据", "主要城市道路卡口逐小时车流量 hourly vehicle counts", "G", ["file", "api"]);
            await List(a, "weather", "全国气象观测数据", "气象站逐日温度与降水 daily weather observations", "M", ["api"]);
            await List(b, "exchange", "国际交流活动名录", "文化交流与会议 cultural exchange events", "R", ["file"]);
            await List(b, "telecom", "移动通信基站分布", "通信运营商基站位置 telecom base stations", "I", ["sandbox"], "important");
            await List(b, "quantity", "商品数量依据统计", "按依据整理的商品件数 goods statistics", "F", ["file"]);
            await List(a, "forecast", "Electricity load forecasting", "Forecasts of regional power load, 电力负荷预测", "D", ["privacyComputation"]);
            await List(b, "harvest", "农业产出统计", "结合气象条件的作物产出 crop yields", "A", ["file"]);
        }

        private async Task List(ProductSteps steps, string key, string title, string description, string category, string[] delivery, string grade = "general")
        {
            var content = ProductSteps.Content(title, grade, "enterprise", delivery);
            var json = System.Text.Json.JsonSerializer.Serialize(content);
            var dict = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(json)!;
            dict["description"] = description;
            dict["category"] = category;
            dict["tags"] = Array.Empty<string>();
            var product = await steps.CreateAsync(dict);
            foreach (var step in new[] { "submit", "review", "approve" })
            {
                await steps.DoAsync(product.Id, step);
            }

            Ids[key] = product.Id;
        }

        public Task DisposeAsync() => M.DisposeAsync().AsTask();
    }

    private EmbeddedMarketplace M => catalogue.M;

    private async Task<List<string>> Find(string query)
    {
        var buyer = M.ClientAs(Guid.NewGuid(), "buyer");
        var page = (await buyer.GetFromJsonAsync<Page<SearchHit>>("/catalog/search?" + query, EmbeddedMarketplace.Json))!;
        return [.. page.Items.Select(h => catalogue.Ids.Single(i => i.Value == h.ProductId).Key)];
    }

    [Theory]
    [InlineData("数据", new[] { "traffic", "weather" })]
    [InlineData("交通", new[] { "traffic" })]
    [InlineData("通信", new[] { "telecom" })]
    [InlineData("交流", new[] { "exchange" })]
    [InlineData("长三角", new[] { "traffic" })]
    [InlineData("交通流量", new[] { "traffic" })]
    [InlineData("气象观测", new[] { "weather" })]
    [InlineData("气象", new[] { "weather", "harvest" })]
    [InlineData("交通 traffic", new string[0])]
    [InlineData("交通 vehicle", new[] { "traffic" })]
    [InlineData("交通 hourly", new[] { "traffic" })]
    [InlineData("observation", new[] { "weather" })]
    [InlineData("forecast", new[] { "forecast" })]
    [InlineData("电力负荷", new[] { "forecast" })]
    [InlineData("依据", new[] { "quantity" })]
    [InlineData("流通", new string[0])]
    [InlineData("气", new[] { "weather", "harvest" })]
    public async Task Chinese_and_english_queries_find_what_a_user_expects(string q, string[] expected)
    {
        var found = await Find("q=" + Uri.EscapeDataString(q));
        Assert.Equal(expected.Order(), found.Order());
    }

    [Fact]
    public async Task A_title_match_ranks_before_a_newer_match_in_the_description()
    {
        Assert.Equal(["weather", "harvest"], await Find("q=" + Uri.EscapeDataString("气象")));
        Assert.Equal(["harvest", "weather"], await Find("q=" + Uri.EscapeDataString("气象") + "&sort=newest"));
        Assert.Equal(["weather", "harvest"], await Find("q=" + Uri.EscapeDataString("气象") + "&subject=enterprise")); // filtered: the other statement
    }

    [Fact]
    public async Task Filters_narrow_the_results()
    {
        Assert.Equal(["telecom"], await Find("grade=important"));
        Assert.Equal(["weather"], await Find("category=M"));
        Assert.Equal(["forecast"], await Find("delivery=privacyComputation"));
        Assert.Equal(["forecast", "weather", "traffic"], await Find($"provider={await OwnerOf("traffic")}"));
        Assert.Empty(await Find($"provider={catalogue.OtherProvider}&grade=general&category=G"));
        Assert.Empty(await Find("minPrice=1"));
    }

    private async Task<Guid> OwnerOf(string key)
    {
        var product = (await M.Operator().GetFromJsonAsync<Marketplace.Catalog.Products.ProductResponse>($"/catalog/products/{catalogue.Ids[key]}", EmbeddedMarketplace.Json))!;
        return product.OwnerId;
    }

    [Theory]
    [InlineData("数据", SearchSort.Relevance)]
    [InlineData("数据", SearchSort.Newest)]
    [InlineData("counts", SearchSort.Relevance)]
    [InlineData("交流", SearchSort.Relevance)]
    [InlineData("forecast 电力", SearchSort.Newest)]
    [InlineData("气象", SearchSort.Relevance)]
    [InlineData("气", SearchSort.Relevance)]
    public async Task Ranking_inside_the_index_pages_exactly_as_joining_first_does(string q, SearchSort sort)
    {
        await using var connection = await M.Get<Marketplace.Catalog.CatalogDb>().OpenAsync();
        async Task<List<(long, double)>> Pages(string sql)
        {
            var seen = new List<(long, double)>();
            var (afterKey, afterSeq) = (double.MinValue, 0L);
            while (true)
            {
                var page = (await Dapper.SqlMapper.QueryAsync<SearchHit>(connection, sql, new
                {
                    Match = SearchText.ForQuery(q), TitleMatch = SearchText.InTitle(SearchText.ForQuery(q)!), Sort = (int)sort, Category = (string?)null, Subject = (string?)null, Grade = (string?)null,
                    Delivery = 0, Provider = (Guid?)null, MinPrice = (long?)null, MaxPrice = (long?)null, Certified = (bool?)null,
                    AfterKey = afterKey, AfterSeq = afterSeq, Take = 1, SearchProducts.Candidates,
                })).SingleOrDefault();
                if (page is null)
                {
                    return seen;
                }

                seen.Add((page.Seq, page.SortKey));
                (afterKey, afterSeq) = (page.SortKey, page.Seq);
            }
        }

        var joined = await Pages(SearchProducts.MatchSqlite);
        Assert.NotEmpty(joined);
        Assert.Equal(joined, await Pages(SearchProducts.SqliteMatchFor(filtered: false, sort)));
    }

    [Fact]
    public async Task Newest_first_pages_through_everything_once()
    {
        var buyer = M.ClientAs(Guid.NewGuid(), "buyer");
        var seen = new List<Guid>();
        string? after = null;
        do
        {
            var page = (await buyer.GetFromJsonAsync<Page<SearchHit>>("/catalog/search?sort=newest&limit=4" + (after is null ? "" : "&after=" + after), EmbeddedMarketplace.Json))!;
            seen.AddRange(page.Items.Select(h => h.ProductId));
            after = page.Next;
        }
        while (after is not null);

        Assert.Equal(catalogue.Ids.Values.Reverse(), seen);
    }

    [Theory]
    [InlineData("limit=101", "limit")]
    [InlineData("category=Z", "category")]
    [InlineData("grade=secret", "grade")]
    [InlineData("sort=random", "sort")]
    [InlineData("q=%21%21%21", "q")]
    [InlineData("minPrice=10&maxPrice=5", "maxPrice")]
    [InlineData("after=nope", "after")]
    public async Task Bad_search_is_400(string query, string field) =>
        await Expect.ValidationProblem(await M.ClientAs(Guid.NewGuid(), "buyer").GetAsync("/catalog/search?" + query), field);

    [Fact]
    public async Task A_query_over_256_characters_is_400_and_search_needs_a_token()
    {
        await Expect.ValidationProblem(await M.ClientAs(Guid.NewGuid(), "buyer").GetAsync("/catalog/search?q=" + new string('a', 257)), "q");
        await Expect.Problem(await M.Anonymous().GetAsync("/catalog/search?q=data"), HttpStatusCode.Unauthorized);
    }
}

/// <summary>Search is rate-limited per participant: past the limit, 429 as a problem.</summary>
public sealed class SearchRateLimitTests
{
    [Fact]
    public async Task Too_many_searches_in_a_second_are_429()
    {
        await using var m = new EmbeddedMarketplace(new Dictionary<string, string?> { ["Catalog:Search:RequestsPerSecond"] = "2" });
        var buyer = m.ClientAs(Guid.NewGuid(), "buyer");
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => buyer.GetAsync("/catalog/search?q=data")));
        Assert.InRange(responses.Count(r => r.StatusCode == HttpStatusCode.OK), 2, 4);
        await Expect.Problem(responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests), HttpStatusCode.TooManyRequests);
    }
}
