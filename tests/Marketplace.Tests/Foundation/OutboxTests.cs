using Marketplace.BuildingBlocks.Data;
using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Catalog;
using Marketplace.Contracts.Catalog;
using Marketplace.Settlement;
using Marketplace.Tests.Support;
using MassTransit;
using Microsoft.Extensions.Time.Testing;

namespace Marketplace.Tests.Foundation;

/// <summary>
/// The Dapper outbox: what rolls back is never published, even when it shared a group commit with units that
/// committed; what commits is delivered even when the dispatcher dies between publishing and marking the row sent,
/// and the inbox absorbs the duplicate that follows.
/// Catalog's outbox loop is left out so the test drives the dispatcher's rounds itself.
/// </summary>
public sealed class OutboxTests : IAsyncLifetime
{
    private const string SettlementEndpoint = "settlement-record-participant";
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private readonly EmbeddedMarketplace m;

    public OutboxTests() => m = new EmbeddedMarketplace(time: time, withoutOutboxLoopFor: typeof(CatalogDb));

    public Task InitializeAsync()
    {
        _ = m.Services;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await m.DisposeAsync();

    private OutboxDispatcher<CatalogDb> Dispatcher => m.Get<OutboxDispatcher<CatalogDb>>();

    private static Task<long> Unsent(EmbeddedMarketplace on) => on.CountAsync<CatalogDb>("SELECT COUNT(*) FROM catalog.outbox WHERE sent_at IS NULL");

    private Task<long> Accounts(Guid owner) =>
        m.CountAsync<SettlementDb>("SELECT COUNT(*) FROM settlement.accounts WHERE owner_id = @owner", new { owner });

    /// <summary>One committed admission, watched where settlement consumes it: the participant and the outbox row's id.</summary>
    private async Task<(ConsumeCounter Counter, Guid Participant, Guid MessageId)> CommittedAsync()
    {
        var counter = ConsumeCounter.Attach(m.Get<IBus>(), SettlementEndpoint);
        var participant = Guid.NewGuid();
        await WriteAsync(Admitted(participant), commit: true);
        await using var connection = await m.Get<CatalogDb>().OpenAsync();
        return (counter, participant, await Dapper.SqlMapper.ExecuteScalarAsync<Guid>(connection, "SELECT id FROM catalog.outbox"));
    }

    private static ParticipantAdmitted Admitted(Guid id) =>
        new(id, "Outbox Test Co", Jurisdiction.Mainland, Codes.NewCreditCode(), ParticipantRoles.Buyer, QualificationLevel.Basic, 1, DateTimeOffset.UtcNow);

    private async Task WriteAsync(ParticipantAdmitted message, bool commit)
    {
        await using var uow = await m.Get<CatalogDb>().BeginAsync();
        await uow.PublishAsync(message, time.GetUtcNow());
        if (commit)
        {
            await uow.CommitAsync();
        }
    }

    [Fact]
    public async Task A_rolled_back_write_publishes_nothing()
    {
        var rolledBack = Guid.NewGuid();
        var committed = Guid.NewGuid();

        await WriteAsync(Admitted(rolledBack), commit: false);
        Assert.Equal(0, await m.CountAsync<CatalogDb>("SELECT COUNT(*) FROM catalog.outbox"));

        // A committed marker behind it on the same queue: once the marker is consumed, anything published
        // before it would have been consumed too.
        await WriteAsync(Admitted(committed), commit: true);
        Assert.Equal(1, await Dispatcher.DispatchPendingAsync(default));
        await Eventually.True(async () => await Accounts(committed) == 3, what: "the committed message's accounts");
        Assert.Equal(0, await Accounts(rolledBack));
    }

    [Fact]
    public async Task A_unit_rolled_back_inside_a_group_commit_hands_over_none_of_its_messages()
    {
        var committer = m.Get<GroupCommitter<CatalogDb>>();
        var ids = Enumerable.Range(0, 30).Select(_ => Guid.NewGuid()).ToArray();
        await Task.WhenAll(ids.Select((id, i) => Task.Run(async () =>
        {
            try
            {
                await committer.RunAsync(async uow =>
                {
                    await uow.PublishAsync(Admitted(id), time.GetUtcNow());
                    return i % 3 == 0 ? throw new InvalidOperationException("this unit fails after publishing") : true;
                });
            }
            catch (InvalidOperationException)
            {
            }
        })));

        Assert.Equal(20, await m.CountAsync<CatalogDb>("SELECT COUNT(*) FROM catalog.outbox"));
        Assert.Equal(20, await Dispatcher.DispatchPendingAsync(default));
        await Eventually.True(
            async () => (await Task.WhenAll(ids.Where((_, i) => i % 3 != 0).Select(Accounts))).All(n => n == 3),
            what: "the committed units' accounts");
        foreach (var rolledBack in ids.Where((_, i) => i % 3 == 0))
        {
            Assert.Equal(0, await Accounts(rolledBack));
        }
    }

    [Fact]
    public async Task A_crash_between_publish_and_mark_redelivers_and_the_inbox_absorbs_the_duplicate()
    {
        var (counter, id, messageId) = await CommittedAsync();

        Dispatcher.AfterPublishBeforeMark = _ => throw new InvalidOperationException("the dispatcher died here");
        await Assert.ThrowsAsync<InvalidOperationException>(() => Dispatcher.DispatchPendingAsync(default));
        Dispatcher.AfterPublishBeforeMark = null;

        await Eventually.True(async () => await Accounts(id) == 3, what: "the first delivery's accounts");
        Assert.Equal(1, await Unsent(m));

        // Still leased (its insert leased it to its writer): nobody claims it until the lease ends.
        Assert.Equal(0, await Dispatcher.DispatchPendingAsync(default));
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(1, await Dispatcher.DispatchPendingAsync(default));

        await Eventually.True(() => Task.FromResult(counter.Consumed(messageId) == 2), what: "the second delivery");
        Assert.Equal(0, counter.Faulted(messageId));
        Assert.Equal(3, await Accounts(id));
        Assert.Equal(1, await m.CountAsync<SettlementDb>("SELECT COUNT(*) FROM settlement.inbox WHERE message_id = @messageId", new { messageId }));
        Assert.Equal(1, await Dispatcher.MarkPublishedAsync());
        Assert.Equal(0, await Unsent(m));
    }

    [Fact]
    public async Task A_handed_over_row_whose_lease_ran_out_is_published_once_through_the_claim()
    {
        var (counter, id, messageId) = await CommittedAsync();

        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(1, await Dispatcher.DispatchPendingAsync(default));
        Assert.Equal(0, await Dispatcher.DispatchPendingAsync(default));

        await Eventually.True(async () => await Accounts(id) == 3, what: "the message's accounts");
        Assert.Equal(1, counter.Consumed(messageId));
        Assert.Equal(1, await Dispatcher.MarkPublishedAsync());
        Assert.Equal(0, await Unsent(m));
    }

    [Fact]
    public async Task Published_rows_wait_for_their_mark_and_a_round_marks_them_before_it_claims()
    {
        var (counter, id, messageId) = await CommittedAsync();

        Assert.Equal(1, await Dispatcher.DispatchPendingAsync(default));
        Assert.Equal(time.GetUtcNow() + new OutboxOptions().MarkDelay, Dispatcher.MarksDue);
        Assert.Equal(1, await Unsent(m));

        // Long past its lease: marked in the round's first statement, so the claim does not publish it again.
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(0, await Dispatcher.DispatchPendingAsync(default));
        Assert.Equal(0, await Unsent(m));
        Assert.Equal(DateTimeOffset.MaxValue, Dispatcher.MarksDue);
        await Eventually.True(async () => await Accounts(id) == 3, what: "the message's accounts");
        Assert.Equal(1, counter.Consumed(messageId));
    }

    [Fact]
    public async Task Marks_whose_commit_fails_stay_waiting_and_the_round_claims_nothing_until_they_are_written()
    {
        var (counter, id, messageId) = await CommittedAsync();
        Assert.Equal(1, await Dispatcher.DispatchPendingAsync(default));
        await Eventually.True(async () => await Accounts(id) == 3, what: "the message's accounts");

        // The database refuses every mark for a while.
        await using (var connection = await m.Get<CatalogDb>().OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(
                connection, "CREATE TRIGGER catalog.refuse_marks BEFORE UPDATE OF sent_at ON outbox BEGIN SELECT RAISE(ABORT, 'marks refused'); END");
        }

        time.Advance(TimeSpan.FromSeconds(31));
        await Assert.ThrowsAnyAsync<Exception>(() => Dispatcher.DispatchPendingAsync(default));
        Assert.Equal(1, await Unsent(m));
        Assert.True(Dispatcher.MarksDue <= time.GetUtcNow(), "the marks are still due");

        await using (var connection = await m.Get<CatalogDb>().OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "DROP TRIGGER catalog.refuse_marks");
        }

        // Written by the next round, before its claim: the row past its lease is not published a second time.
        Assert.Equal(0, await Dispatcher.DispatchPendingAsync(default));
        Assert.Equal(0, await Unsent(m));
        Assert.Equal(1, counter.Consumed(messageId));
    }

    [Fact]
    public async Task A_full_batch_of_published_rows_is_marked_without_waiting()
    {
        await using var small = new EmbeddedMarketplace(
            new Dictionary<string, string?> { ["Messaging:Outbox:BatchSize"] = "2" }, time, typeof(CatalogDb));
        var dispatcher = small.Get<OutboxDispatcher<CatalogDb>>();
        for (var i = 0; i < 3; i++)
        {
            await using var uow = await small.Get<CatalogDb>().BeginAsync();
            await uow.PublishAsync(Admitted(Guid.NewGuid()), time.GetUtcNow());
            await uow.CommitAsync();
        }

        Assert.Equal(2, await dispatcher.DispatchPendingAsync(default));
        Assert.Equal(1, await Unsent(small));
        Assert.Equal(1, await dispatcher.DispatchPendingAsync(default));
        Assert.Equal(1, await Unsent(small));
        Assert.Equal(1, await dispatcher.MarkPublishedAsync());
        Assert.Equal(0, await Unsent(small));
    }

    [Fact]
    public async Task Rows_still_waiting_in_memory_when_the_host_stops_are_released_for_the_next_dispatcher()
    {
        var (_, id, _) = await CommittedAsync();

        Assert.Equal(1, await Dispatcher.ReleaseHandedOverAsync());
        Assert.Equal(0, await m.CountAsync<CatalogDb>("SELECT COUNT(*) FROM catalog.outbox WHERE locked_until IS NOT NULL"));

        // Claimed at once, not after the lease its insert gave it.
        Assert.Equal(1, await Dispatcher.DispatchPendingAsync(default));
        await Eventually.True(async () => await Accounts(id) == 3, what: "the released message's accounts");
        Assert.Equal(0, await Dispatcher.ReleaseHandedOverAsync());
    }

    [Fact]
    public async Task Rows_released_at_stop_go_a_batch_per_statement_and_all_of_them_are_released()
    {
        await using var small = new EmbeddedMarketplace(
            new Dictionary<string, string?> { ["Messaging:Outbox:BatchSize"] = "2" }, time, typeof(CatalogDb));
        var catalog = small.Get<CatalogDb>();
        for (var i = 0; i < 5; i++)
        {
            await using var uow = await catalog.BeginAsync();
            await uow.PublishAsync(Admitted(Guid.NewGuid()), time.GetUtcNow());
            await uow.CommitAsync();
        }

        Assert.Equal(5, await small.Get<OutboxDispatcher<CatalogDb>>().ReleaseHandedOverAsync());
        Assert.Equal(0, await small.CountAsync<CatalogDb>("SELECT COUNT(*) FROM catalog.outbox WHERE locked_until IS NOT NULL"));
        Assert.Equal(5, await Unsent(small));
    }

    [Fact]
    public async Task Sent_rows_are_purged_after_their_retention()
    {
        await WriteAsync(Admitted(Guid.NewGuid()), commit: true);
        Assert.Equal(1, await Dispatcher.DispatchPendingAsync(default));
        await Dispatcher.MarkPublishedAsync();
        await Dispatcher.PurgeIfDueAsync(default);
        Assert.Equal(1, await m.CountAsync<CatalogDb>("SELECT COUNT(*) FROM catalog.outbox"));

        time.Advance(TimeSpan.FromDays(8));
        await Dispatcher.PurgeIfDueAsync(default);
        Assert.Equal(0, await m.CountAsync<CatalogDb>("SELECT COUNT(*) FROM catalog.outbox"));
    }
}
