using CsCheck;
using Marketplace.BuildingBlocks.Data;
using Marketplace.Settlement;
using Marketplace.Settlement.Ledger;
using Marketplace.Settlement.Reconciliation;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Settlement;

/// <summary>
/// Amounts driven to the limits: random transfers between the exchange's bank account and participants' accounts,
/// most of them within a few units of 2⁶³ − 1, against a model that computes in 128 bits. An entry is refused exactly
/// when some balance would leave ±(2⁶³ − 1) or fall below its limit; a refused entry writes nothing; reconciliation,
/// which adds postings up in the database, still balances.
/// </summary>
public sealed class LedgerLimitTests
{
    private const int Participants = 2;

    /// <summary>Kind: 0 bank → participant, 1 participant → bank, 2 participant → participant.</summary>
    public sealed record Transfer(int Kind, int From, int To, long Amount)
    {
        public override string ToString() => $"{Kind}:{From}:{To}:{Amount}";
    }

    private static readonly Gen<long> Amounts = Gen.OneOf(
        Gen.Long[1, 1_000],
        Gen.Long[long.MaxValue - 1_000, long.MaxValue],
        Gen.Long[long.MaxValue / 2 - 1_000, long.MaxValue / 2 + 1_000],
        Gen.Long[1, long.MaxValue]);

    private static readonly Gen<Transfer[]> Sequences =
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, Participants - 1], Gen.Int[0, Participants - 1], Amounts)
            .Select((kind, from, to, amount) => new Transfer(kind, from, to, amount))
            .Array[4, 20];

    [Fact]
    public async Task Entries_at_the_limits_are_refused_exactly_when_a_balance_would_leave_the_range()
    {
        await using var m = new EmbeddedMarketplace();
        await Sequences.SampleAsync(ops => RunAsync(m, ops), iter: 30, threads: 1, print: ops => string.Join(' ', ops.Select(o => o.ToString())));
        var report = await m.Get<Reconciler>().RunAsync(default);
        Assert.True(report.Balanced, string.Join("; ", report.Differences));
    }

    [Fact]
    public async Task A_leg_of_the_smallest_long_and_an_entry_whose_sides_overflow_are_refused_before_anything_is_written()
    {
        await using var m = new EmbeddedMarketplace();
        var a = await m.AccountAsync(await m.FundedParticipantAsync(), "Available");
        var b = await m.AccountAsync(await m.FundedParticipantAsync(), "Available");
        var bank = await m.AccountAsync(null, "BankClearing");
        var ledger = m.Get<LedgerPoster>();

        var cases = new Leg[][]
        {
            [new Leg(bank, "CNY", long.MinValue), new Leg(a, "CNY", long.MaxValue), new Leg(b, "CNY", 1)],
            [new Leg(bank, "CNY", -long.MaxValue), new Leg(a, "CNY", long.MaxValue), new Leg(b, "CNY", long.MaxValue)],
        };
        foreach (var legs in cases)
        {
            await using var uow = await m.Get<SettlementDb>().BeginAsync();
            var refused = await Assert.ThrowsAsync<LedgerException>(() => ledger.PostAsync(uow, new EntryRequest(Guid.NewGuid(), "test", null, legs, Guid.Empty), DateTimeOffset.UtcNow));
            Assert.Equal(LedgerRefusal.OutOfRange, refused.Refusal);
        }

        Assert.Equal(0, await m.CountAsync<SettlementDb>("SELECT COUNT(*) FROM settlement.postings"));
    }

    private static async Task RunAsync(EmbeddedMarketplace m, Transfer[] ops)
    {
        var ledger = m.Get<LedgerPoster>();
        var db = m.Get<SettlementDb>();
        var people = new Guid[Participants];
        var balances = new Int128[Participants];
        for (var i = 0; i < Participants; i++)
        {
            people[i] = await m.AccountAsync(await m.FundedParticipantAsync(), "Available");
        }

        var bank = await m.AccountAsync(null, "BankClearing");
        Int128 bankBalance = await m.BalanceAsync(null, "BankClearing");
        var entries = await m.CountAsync<SettlementDb>("SELECT COUNT(*) FROM settlement.entries");

        foreach (var op in ops)
        {
            var (fromAccount, toAccount) = op.Kind switch
            {
                0 => (bank, people[op.To]),
                1 => (people[op.From], bank),
                _ => (people[op.From], people[op.To]),
            };
            if (fromAccount == toAccount)
            {
                continue;
            }

            Int128 from = fromAccount == bank ? bankBalance : balances[op.From];
            Int128 to = toAccount == bank ? bankBalance : balances[op.To];
            // The bank account has no floor of its own (it is the outside world); participants' available balances stop at 0.
            var fromFloor = fromAccount == bank ? -(Int128)long.MaxValue : 0;
            var expected = from - op.Amount >= fromFloor && to + op.Amount <= long.MaxValue;

            bool posted;
            try
            {
                await using var uow = await db.BeginAsync();
                await ledger.PostAsync(uow, new EntryRequest(
                    Guid.NewGuid(), "test", null, [new Leg(fromAccount, "CNY", -op.Amount), new Leg(toAccount, "CNY", op.Amount)], Guid.Empty), DateTimeOffset.UtcNow);
                await uow.CommitAsync();
                posted = true;
            }
            catch (LedgerException e) when (e.Refusal is LedgerRefusal.OutOfRange or LedgerRefusal.InsufficientFunds)
            {
                posted = false;
            }

            Assert.Equal(expected, posted);
            if (!posted)
            {
                continue;
            }

            entries++;
            if (fromAccount == bank)
            {
                bankBalance -= op.Amount;
            }
            else
            {
                balances[op.From] -= op.Amount;
            }

            if (toAccount == bank)
            {
                bankBalance += op.Amount;
            }
            else
            {
                balances[op.To] += op.Amount;
            }
        }

        Assert.Equal(bankBalance, (Int128)await m.BalanceAsync(null, "BankClearing"));
        Assert.Equal(entries, await m.CountAsync<SettlementDb>("SELECT COUNT(*) FROM settlement.entries"));
        for (var i = 0; i < Participants; i++)
        {
            await using var connection = await db.OpenAsync();
            Assert.Equal(balances[i], (Int128)await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT balance FROM settlement.accounts WHERE id = @id", new { id = people[i] }));
        }
    }
}
