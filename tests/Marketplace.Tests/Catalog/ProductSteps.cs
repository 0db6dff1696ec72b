using System.Net;
using System.Net.Http.Json;
using Marketplace.Catalog.Products;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Catalog;

/// <summary>Drives a product through its lifecycle over HTTP, as its provider and the operator would.</summary>
public sealed class ProductSteps(EmbeddedMarketplace m, Guid provider)
{
    public static object Content(string title = "长三角城市交通流量数据", string grade = "general", string subject = "enterprise", string[]? delivery = null, object? personalData = null) => new
    {
        title,
        description = "2020年以来长三角主要城市道路卡口的逐小时交通流量，已去除车牌等个人信息。Hourly traffic counts.",
        category = "G",
        tags = new[] { "交通", "traffic", "城市" },
        subject,
        grade,
        source = "合作城市交通管理部门授权采集",
        legalityStatement = "依据数据共享协议取得，已完成合规评估。",
        coverage = new { from = "2020-01-01", to = "2025-12-31", regions = new[] { "310000", "320000" } },
        updateFrequency = "daily",
        schema = new[] { new { name = "station_id", type = "string", description = "卡口编号" }, new { name = "count", type = "integer", description = "车流量" } },
        sampleReference = "sample://traffic/2025-01.csv",
        manifestSha256 = new string('a', 64),
        deliveryMethods = delivery ?? ["file", "api"],
        requiresManualApproval = false,
        exclusiveAllowed = true,
        personalData,
    };

    public static readonly object AllPassed = new
    {
        checklist = new
        {
            sourceLegality = new { passed = true },
            classification = new { passed = true },
            personalInformation = new { passed = true },
            descriptionAccuracy = new { passed = true },
            deliveryMethod = new { passed = true },
        },
    };

    public static readonly object OneFailed = new
    {
        checklist = new
        {
            sourceLegality = new { passed = true },
            classification = new { passed = false, reason = "分级与样本内容不符" },
            personalInformation = new { passed = true },
            descriptionAccuracy = new { passed = true },
            deliveryMethod = new { passed = true },
        },
    };

    public HttpClient Provider => m.ClientAs(provider, "provider");

    public static async Task<ProductSteps> ForNewProviderAsync(EmbeddedMarketplace m) =>
        new(m, (await m.AdmitAsync(["provider"])).Id);

    public async Task<ProductResponse> CreateAsync(object? content = null)
    {
        var response = await Provider.PostAsJsonAsync("/catalog/products", content ?? Content());
        await Expect.Status(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<ProductResponse>(EmbeddedMarketplace.Json))!;
    }

    public Task<HttpResponseMessage> Act(Guid id, string action, object? body = null) => action switch
    {
        "edit" => Provider.PutAsJsonAsync($"/catalog/products/{id}/draft", body ?? Content("修订后的交通流量数据")),
        "submit" => Provider.PostAsync($"/catalog/products/{id}/submit", null),
        "review" => m.Operator().PostAsync($"/catalog/products/{id}/review", null),
        "approve" => m.Operator().PostAsJsonAsync($"/catalog/products/{id}/approve", body ?? AllPassed),
        "reject" => m.Operator().PostAsJsonAsync($"/catalog/products/{id}/reject", body ?? OneFailed),
        "suspend" => m.Operator().PostAsJsonAsync($"/catalog/products/{id}/suspend", body ?? new { reason = "来源授权存疑，暂停挂牌" }),
        "reinstate" => m.Operator().PostAsync($"/catalog/products/{id}/reinstate", null),
        "delist" => m.Operator().PostAsJsonAsync($"/catalog/products/{id}/delist", body ?? new { reason = "提供方申请摘牌" }),
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    public async Task<ProductResponse> DoAsync(Guid id, string action, object? body = null)
    {
        var response = await Act(id, action, body);
        await Expect.Status(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<ProductResponse>(EmbeddedMarketplace.Json))!;
    }

    /// <summary>A product in the given state, reached by the legal path.</summary>
    public async Task<ProductResponse> InStateAsync(string state)
    {
        var product = await CreateAsync();
        string[] path = state switch
        {
            "Draft" => [],
            "Submitted" => ["submit"],
            "UnderReview" => ["submit", "review"],
            "Listed" => ["submit", "review", "approve"],
            "Suspended" => ["submit", "review", "approve", "suspend"],
            "Delisted" => ["submit", "review", "approve", "delist"],
            _ => throw new ArgumentOutOfRangeException(nameof(state)),
        };
        foreach (var step in path)
        {
            product = await DoAsync(product.Id, step);
        }

        Assert.Equal(state, product.Status);
        return product;
    }
}
