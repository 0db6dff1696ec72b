using System.Diagnostics;
using System.Diagnostics.Metrics;
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

    [Fact]
    public async Task The_writer_reports_its_busy_time_its_batches_and_its_commits()
    {
        var measured = new List<(string Instrument, double Value, string? Schema)>();
        var meters = host.Marketplace.Get<IMeterFactory>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Meter.Name == GroupCommitTelemetry.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            lock (measured)
            {
                measured.Add((instrument.Name, value, tags.ToArray().Single(t => t.Key == "schema").Value as string));
            }
        }

        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
        listener.Start();

        // The first unit holds the writer until five more are queued behind it; those five then share one batch.
        var committer = host.Marketplace.Get<GroupCommitter<SettlementDb>>();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = committer.RunAsync(async uow =>
        {
            entered.SetResult();
            await release.Task;
            return await uow.ExecuteAsync(InsertSql, new { Id = Guid.NewGuid(), Now = DateTimeOffset.UtcNow });
        });
        await entered.Task;
        var held = Stopwatch.StartNew();
        var queued = Enumerable.Range(0, 5)
            .Select(_ => committer.RunAsync(uow => uow.ExecuteAsync(InsertSql, new { Id = Guid.NewGuid(), Now = DateTimeOffset.UtcNow })))
            .ToList();
        release.SetResult();
        held.Stop();
        await holding;
        await Task.WhenAll(queued);

        List<(string Instrument, double Value, string? Schema)> seen;
        lock (measured)
        {
            seen = [.. measured];
        }

        // The host's other three writers may record meanwhile (their outbox rounds); each names its own schema.
        Assert.All(seen, m => Assert.Contains(m.Schema, new[] { "catalog", "rights", "pricing", "settlement" }));
        var settlement = seen.Where(m => m.Schema == "settlement").ToList();
        Assert.Contains(settlement, m => m.Instrument == "marketplace.group_commit.batch.units" && m.Value >= 5);
        Assert.True(settlement.Count(m => m.Instrument == "marketplace.group_commit.commit.duration" && m.Value > 0) >= 2);
        Assert.True(settlement.Where(m => m.Instrument == "marketplace.group_commit.busy").Sum(m => m.Value) >= held.Elapsed.TotalSeconds);
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
