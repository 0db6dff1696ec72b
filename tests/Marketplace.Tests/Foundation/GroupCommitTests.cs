using Dapper;
using Marketplace.BuildingBlocks.Data;
using Marketplace.Settlement;
using Marketplace.Tests.Catalog;
using Marketplace.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace Marketplace.Tests.Foundation;

/// <summary>Group commit: concurrent units share a transaction, yet each one commits or fails on its own.</summary>
public sealed class GroupCommitTests(AdmissionTests.Host host) : IClassFixture<AdmissionTests.Host>
{
    private const string InsertSql = "INSERT INTO settlement.inbox (message_id, consumer, processed_at) VALUES (@Id, 'group-commit-test', @Now)";

    [Fact]
    public async Task A_failing_unit_rolls_back_alone_and_the_others_commit()
    {
        var committer = host.Marketplace.Get<GroupCommitter<SettlementDb>>();
        var ids = Enumerable.Range(0, 40).Select(_ => Guid.NewGuid()).ToArray();

        var outcomes = await Task.WhenAll(ids.Select((id, i) => Task.Run(async () =>
        {
            try
            {
                return await committer.RunAsync(async uow =>
                {
                    await uow.ExecuteAsync(InsertSql, new { Id = id, Now = DateTimeOffset.UtcNow });
                    return i % 3 == 0 ? throw new InvalidOperationException("this unit fails after writing") : i;
                });
            }
            catch (InvalidOperationException)
            {
                return -1;
            }
        })));

        Assert.Equal(ids.Length - (ids.Length + 2) / 3, outcomes.Count(o => o >= 0));
        await using var connection = await host.Marketplace.Get<SettlementDb>().OpenAsync();
        var stored = (await connection.QueryAsync<Guid>("SELECT message_id FROM settlement.inbox WHERE consumer = 'group-commit-test'")).ToHashSet();
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Equal(i % 3 != 0, stored.Contains(ids[i]));
        }
    }
}

/// <summary>When the database cannot be reached, every caller of a batch hears so; none waits forever.</summary>
public sealed class GroupCommitFailureTests
{
    [Fact]
    public async Task Every_unit_of_a_batch_that_cannot_begin_fails_instead_of_hanging()
    {
        var missing = Path.Combine(Path.GetTempPath(), "marketplace-no-such-dir-" + Guid.NewGuid().ToString("N"), "nested");
        var db = new SettlementDb(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Database:SqliteDirectory"] = missing }).Build());
        await using var committer = new GroupCommitter<SettlementDb>(db, Microsoft.Extensions.Logging.Abstractions.NullLogger<GroupCommitter<SettlementDb>>.Instance);

        var units = Enumerable.Range(0, 5).Select(i => committer.RunAsync(_ => Task.FromResult(i))).ToList();
        // A bounded wait: before the fix these never completed.
        await Assert.ThrowsAnyAsync<Exception>(() => Task.WhenAll(units).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.All(units, u => Assert.True(u.IsFaulted, $"unit {u.Status}"));
    }
}
