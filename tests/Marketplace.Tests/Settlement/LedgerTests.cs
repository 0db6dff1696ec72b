using Marketplace.Settlement;
using Marketplace.Settlement.Ledger;
using Marketplace.Settlement.Reconciliation;
using Marketplace.Tests.Catalog;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Settlement;

/// <summary>The ledger's own rules, exercised directly: balance, limits, idempotency, reversal, holds.</summary>
public sealed class LedgerTests(AdmissionTests.Host host) : IClassFixture<AdmissionTests.Host>
{
    private EmbeddedMarketplace M => host.Marketplace;

    private LedgerPoster Ledger => M.Get<LedgerPoster>();

    private Holds Holds => M.Get<Holds>();

    private async Task<PostedEntry> PostAsync(EntryRequest request)
    {
        await using var uow = await M.Get<SettlementDb>().BeginAsync();
        var posted = await Ledger.PostAsync(uow, request, DateTimeOffset.UtcNow);
        await uow.CommitAsync();
        return posted;
    }

    private async Task<T> InUnitAsync<T>(Func<Marketplace.BuildingBlocks.Data.UnitOfWork, Task<T>> work)
    {
        await using var uow = await M.Get<SettlementDb>().BeginAsync();
        var result = await work(uow);
        await uow.CommitAsync();
        return result;
    }

    private async Task<(Guid Participant, Guid Available, Guid Bank)> FundedAsync(long amount)
    {
        var p = await M.FundedParticipantAsync(amount);
        return (p, await M.AccountAsync(p, "Available"), await M.AccountAsync(null, "BankClearing"));
    }

    [Fact]
    public async Task A_balanced_entry_moves_balances_and_records_balance_after()
    {
        var (p, available, bank) = await FundedAsync(0);
        var bankBefore = await M.BalanceAsync(null, "BankClearing");

        var posted = await PostAsync(new EntryRequest(Guid.NewGuid(), "deposit", "t", [new Leg(bank, "CNY", -500), new Leg(available, "CNY", 500)], Guid.NewGuid()));

        Assert.False(posted.Replayed);
        Assert.Equal(500, await M.BalanceAsync(p, "Available"));
        Assert.Equal(bankBefore - 500, await M.BalanceAsync(null, "BankClearing"));
        Assert.Equal(500, posted.Legs.Single(l => l.AccountId == available).BalanceAfter);
    }

    public static TheoryData<long[]> Unbalanced => new() { new long[] { -5, 4 }, new long[] { 5 }, new long[] { 0, 0 } };

    [Theory]
    [MemberData(nameof(Unbalanced))]
    public async Task An_unbalanced_entry_is_refused_and_writes_nothing(long[] amounts)
    {
        var (p, available, bank) = await FundedAsync(1000);
        var accounts = new[] { bank, available };
        var legs = amounts.Select((a, i) => new Leg(accounts[i], "CNY", a)).ToList();

        var refused = await Assert.ThrowsAsync<LedgerException>(() => PostAsync(new EntryRequest(Guid.NewGuid(), "x", null, legs, Guid.NewGuid())));

        Assert.Equal(LedgerRefusal.Unbalanced, refused.Refusal);
        Assert.Equal(1000, await M.BalanceAsync(p, "Available"));
    }

    [Fact]
    public async Task The_same_account_twice_or_an_unknown_account_is_refused()
    {
        var (_, available, bank) = await FundedAsync(100);
        var twice = await Assert.ThrowsAsync<LedgerException>(() => PostAsync(new EntryRequest(
            Guid.NewGuid(), "x", null, [new Leg(available, "CNY", -1), new Leg(available, "CNY", 1)], Guid.NewGuid())));
        Assert.Equal(LedgerRefusal.Unbalanced, twice.Refusal);

        var unknown = await Assert.ThrowsAsync<LedgerException>(() => PostAsync(new EntryRequest(
            Guid.NewGuid(), "x", null, [new Leg(bank, "CNY", -1), new Leg(Guid.NewGuid(), "CNY", 1)], Guid.NewGuid())));
        Assert.Equal(LedgerRefusal.UnknownAccount, unknown.Refusal);

        var otherCurrency = await Assert.ThrowsAsync<LedgerException>(() => PostAsync(new EntryRequest(
            Guid.NewGuid(), "x", null, [new Leg(bank, "USD", -1), new Leg(available, "USD", 1)], Guid.NewGuid())));
        Assert.Equal(LedgerRefusal.UnknownAccount, otherCurrency.Refusal);
    }

    [Fact]
    public async Task Available_never_goes_below_zero_and_a_refused_entry_leaves_every_balance_as_it_was()
    {
        var (p, available, bank) = await FundedAsync(300);
        var bankBefore = await M.BalanceAsync(null, "BankClearing");

        var refused = await Assert.ThrowsAsync<LedgerException>(() => PostAsync(new EntryRequest(
            Guid.NewGuid(), "withdraw", null, [new Leg(available, "CNY", -301), new Leg(bank, "CNY", 301)], Guid.NewGuid())));

        Assert.Equal(LedgerRefusal.InsufficientFunds, refused.Refusal);
        Assert.Equal(300, await M.BalanceAsync(p, "Available"));
        Assert.Equal(bankBefore, await M.BalanceAsync(null, "BankClearing"));
    }

    [Fact]
    public async Task The_same_id_returns_the_first_entry_and_other_content_under_it_is_refused()
    {
        var (p, available, bank) = await FundedAsync(0);
        var id = Guid.NewGuid();
        var request = new EntryRequest(id, "deposit", "first", [new Leg(bank, "CNY", -70), new Leg(available, "CNY", 70)], Guid.NewGuid());

        await PostAsync(request);
        var again = await PostAsync(request with { Description = "retried" });
        Assert.True(again.Replayed);
        Assert.Equal(70, await M.BalanceAsync(p, "Available"));

        var other = await Assert.ThrowsAsync<LedgerException>(() => PostAsync(request with
        {
            Legs = [new Leg(bank, "CNY", -71), new Leg(available, "CNY", 71)],
        }));
        Assert.Equal(LedgerRefusal.IdConflict, other.Refusal);
        Assert.Equal(70, await M.BalanceAsync(p, "Available"));
    }

    [Fact]
    public async Task A_reversal_undoes_an_entry_once()
    {
        var (p, available, bank) = await FundedAsync(0);
        var original = await PostAsync(new EntryRequest(Guid.NewGuid(), "deposit", null, [new Leg(bank, "CNY", -40), new Leg(available, "CNY", 40)], Guid.NewGuid()));

        await InUnitAsync(uow => Ledger.ReverseAsync(uow, original.Id, Guid.NewGuid(), Guid.NewGuid(), "posted in error", DateTimeOffset.UtcNow));
        Assert.Equal(0, await M.BalanceAsync(p, "Available"));

        var twice = await Assert.ThrowsAsync<LedgerException>(() =>
            InUnitAsync(uow => Ledger.ReverseAsync(uow, original.Id, Guid.NewGuid(), Guid.NewGuid(), null, DateTimeOffset.UtcNow)));
        Assert.Equal(LedgerRefusal.NotReversible, twice.Refusal);
        Assert.True((await M.Get<Reconciler>().RunAsync(default)).Balanced);
    }

    [Fact]
    public async Task A_hold_is_posted_or_voided_once()
    {
        var (p, _, bank) = await FundedAsync(1000);
        var posted = Guid.NewGuid();
        var voided = Guid.NewGuid();
        var actor = Guid.NewGuid();
        await InUnitAsync(uow => Holds.PlaceAsync(uow, posted, p, "CNY", 300, "test", actor, DateTimeOffset.UtcNow));
        await InUnitAsync(uow => Holds.PlaceAsync(uow, voided, p, "CNY", 200, "test", actor, DateTimeOffset.UtcNow));
        Assert.Equal(500, await M.BalanceAsync(p, "Available"));
        Assert.Equal(500, await M.BalanceAsync(p, "Held"));

        await InUnitAsync(uow => Holds.PostAsync(uow, posted, [(bank, 300)], "withdrawal", actor, DateTimeOffset.UtcNow));
        await InUnitAsync(uow => Holds.VoidAsync(uow, voided, actor, DateTimeOffset.UtcNow));
        Assert.Equal(700, await M.BalanceAsync(p, "Available"));
        Assert.Equal(0, await M.BalanceAsync(p, "Held"));

        foreach (var attempt in new Func<Task>[]
        {
            () => InUnitAsync(uow => Holds.PostAsync(uow, posted, [(bank, 300)], "withdrawal", actor, DateTimeOffset.UtcNow)),
            () => InUnitAsync(uow => Holds.PostAsync(uow, voided, [(bank, 200)], "withdrawal", actor, DateTimeOffset.UtcNow)),
            () => InUnitAsync(uow => Holds.VoidAsync(uow, posted, actor, DateTimeOffset.UtcNow)),
        })
        {
            Assert.Equal(LedgerRefusal.HoldNotPending, (await Assert.ThrowsAsync<LedgerException>(attempt)).Refusal);
        }

        Assert.Equal(700, await M.BalanceAsync(p, "Available"));
    }

    [Fact]
    public async Task A_hold_beyond_the_available_balance_is_refused()
    {
        var (p, _, _) = await FundedAsync(100);
        var refused = await Assert.ThrowsAsync<LedgerException>(() =>
            InUnitAsync(uow => Holds.PlaceAsync(uow, Guid.NewGuid(), p, "CNY", 101, "test", p, DateTimeOffset.UtcNow)));
        Assert.Equal(LedgerRefusal.InsufficientFunds, refused.Refusal);
        Assert.Equal(0, await M.CountAsync<SettlementDb>("SELECT COUNT(*) FROM settlement.holds WHERE owner_id = @p", new { p }));
    }

    [Fact]
    [Trait("Category", Races.Category)]
    public async Task Concurrent_posts_of_one_hold_succeed_exactly_once()
    {
        for (var round = 0; round < Races.Rounds(3); round++)
        {
            var (p, _, bank) = await FundedAsync(1000);
            var hold = Guid.NewGuid();
            await InUnitAsync(uow => Holds.PlaceAsync(uow, hold, p, "CNY", 600, "test", p, DateTimeOffset.UtcNow));

            var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            {
                try
                {
                    await InUnitAsync(uow => i % 2 == 0
                        ? Holds.PostAsync(uow, hold, [(bank, 600)], "withdrawal", p, DateTimeOffset.UtcNow)
                        : Holds.VoidAsync(uow, hold, p, DateTimeOffset.UtcNow));
                    return true;
                }
                catch (LedgerException e) when (e.Refusal == LedgerRefusal.HoldNotPending)
                {
                    return false;
                }
            })));

            Assert.Equal(1, outcomes.Count(o => o));
            Assert.Equal(0, await M.BalanceAsync(p, "Held"));
            Assert.Contains(await M.BalanceAsync(p, "Available"), new long[] { 400, 1000 });
        }

        Assert.True((await M.Get<Reconciler>().RunAsync(default)).Balanced);
    }
}
