using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Contracts.Catalog;
using Marketplace.Rights;
using Marketplace.Rights.Participants;
using Marketplace.Settlement;
using Marketplace.Tests.Catalog;
using Marketplace.Tests.Support;
using MassTransit;

namespace Marketplace.Tests.Foundation;

/// <summary>Idempotent consumers: the same message twice has one effect; changes that overtake admission wait for it.</summary>
public sealed class InboxTests(AdmissionTests.Host host) : IClassFixture<AdmissionTests.Host>
{
    private EmbeddedMarketplace M => host.Marketplace;

    private static ParticipantAdmitted Admitted(Guid id) =>
        new(id, "Inbox Test Co", Jurisdiction.Mainland, Codes.NewCreditCode(), ParticipantRoles.Buyer, QualificationLevel.Basic, 1, DateTimeOffset.UtcNow);

    [Fact]
    public async Task The_same_message_delivered_twice_has_one_effect()
    {
        var bus = M.Get<IBus>();
        var counter = ConsumeCounter.Attach(bus, "settlement-record-participant");
        var id = Guid.NewGuid();
        var messageId = NewId.NextGuid();

        await bus.Publish(Admitted(id), c => c.MessageId = messageId);
        await bus.Publish(Admitted(id), c => c.MessageId = messageId);

        await Eventually.True(() => Task.FromResult(counter.Consumed(messageId) == 2), what: "both deliveries consumed");
        Assert.Equal(0, counter.Faulted(messageId));
        Assert.Equal(3, await M.CountAsync<SettlementDb>("SELECT COUNT(*) FROM settlement.accounts WHERE owner_id = @id", new { id }));
        Assert.Equal(1, await M.CountAsync<SettlementDb>("SELECT COUNT(*) FROM settlement.inbox WHERE message_id = @messageId", new { messageId }));
    }

    [Fact]
    public async Task Concurrent_duplicates_run_the_effect_exactly_once()
    {
        var inbox = M.Get<Inbox<SettlementDb>>();
        var messageId = Guid.NewGuid();
        var effects = 0;

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            inbox.ProcessOnceAsync(messageId, "test-consumer", _ =>
            {
                Interlocked.Increment(ref effects);
                return Task.CompletedTask;
            }, default))));

        Assert.Equal(1, results.Count(r => r));
        Assert.Equal(1, effects);
    }

    [Fact]
    public async Task An_effect_that_fails_leaves_no_inbox_row_so_the_retry_runs_it()
    {
        var inbox = M.Get<Inbox<SettlementDb>>();
        var messageId = Guid.NewGuid();

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            inbox.ProcessOnceAsync(messageId, "test-consumer", _ => throw new InvalidOperationException("boom"), default));
        Assert.True(await inbox.ProcessOnceAsync(messageId, "test-consumer", _ => Task.CompletedTask, default));
    }

    [Fact]
    public async Task A_message_that_fails_beside_others_in_one_commit_rolls_back_alone()
    {
        var inbox = M.Get<Inbox<SettlementDb>>();
        var failing = Guid.NewGuid();
        var passing = Enumerable.Range(0, 7).Select(_ => Guid.NewGuid()).ToList();
        using var start = new SemaphoreSlim(0);

        // Released together, the eight land in the same group commit: the failure's savepoint rolls back, the rest commit.
        var outcomes = passing.Select(id => Task.Run(async () =>
        {
            await start.WaitAsync();
            return await inbox.ProcessOnceAsync(id, "test-consumer", _ => Task.CompletedTask, default);
        })).ToList();
        var failed = Task.Run(async () =>
        {
            await start.WaitAsync();
            return await inbox.ProcessOnceAsync(failing, "test-consumer", _ => throw new InvalidOperationException("boom"), default);
        });
        start.Release(8);

        await Assert.ThrowsAsync<InvalidOperationException>(() => failed);
        Assert.All(await Task.WhenAll(outcomes), Assert.True);
        foreach (var id in passing)
        {
            Assert.False(await inbox.ProcessOnceAsync(id, "test-consumer", _ => throw new InvalidOperationException("ran twice"), default));
        }

        Assert.Equal(0, await M.CountAsync<SettlementDb>("SELECT COUNT(*) FROM settlement.inbox WHERE message_id = @failing", new { failing }));
        Assert.True(await inbox.ProcessOnceAsync(failing, "test-consumer", _ => Task.CompletedTask, default));
    }

    [Fact]
    public async Task A_suspension_that_overtakes_the_admission_is_applied_after_it()
    {
        var bus = M.Get<IBus>();
        var id = Guid.NewGuid();

        await bus.Publish(new ParticipantSuspended(id, "overtook", 2, DateTimeOffset.UtcNow));
        await bus.Publish(Admitted(id));

        var known = await Eventually.Get(async () =>
        {
            var p = await ParticipantDirectory.FindAsync(M.Get<RightsDb>(), id, default);
            return p?.Version == 2 ? p : null;
        }, what: "rights applies the suspension once the admission is in");
        Assert.Equal("Suspended", known.Status);
    }
}
