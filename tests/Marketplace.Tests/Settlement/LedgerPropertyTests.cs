using CsCheck;
using Marketplace.BuildingBlocks.Data;
using Marketplace.Settlement;
using Marketplace.Settlement.Ledger;
using Marketplace.Settlement.Reconciliation;
using Marketplace.Tests.Catalog;
using Marketplace.Tests.Support;

namespace Marketplace.Tests.Settlement;

/// <summary>
/// Random sequences of deposits, holds, posts, voids, withdrawals and reversals against a simple model: after every
/// sequence each balance is what the model says, none is below its limit, and reconciliation finds nothing.
/// </summary>
public sealed class LedgerPropertyTests(AdmissionTests.Host host) : IClassFixture<AdmissionTests.Host>
{
    private const int Participants = 3;

    private EmbeddedMarketplace M => host.Marketplace;

    /// <summary>Kind: 0 deposit, 1 place hold, 2 post hold to a payable, 3 void hold, 4 withdraw (hold posted to the bank), 5 reverse a deposit.</summary>
    public sealed record Op(int Kind, int Participant, long Amount, int Target)
    {
        public override string ToString() => $"{Kind}:{Participant}:{Amount}:{Target}";
    }

    private static readonly Gen<Op[]> Sequences = Gen.Select(Gen.Int[0, 5], Gen.Int[0, Participants - 1], Gen.Long[1, 500], Gen.Int[0, 50])
        .Select((kind, participant, amount, target) => new Op(kind, participant, amount, target))
        .Array[5, 40];

    [Fact]
    public async Task Any_sequence_keeps_the_ledger_balanced_and_every_balance_as_the_model_says() =>
        await Sequences.SampleAsync(RunAsync, iter: 25, threads: 1, print: ops => string.Join(' ', ops.Select(o => o.ToString())));

    private async Task RunAsync(Op[] ops)
    {
        var ledger = M.Get<LedgerPoster>();
        var holds = M.Get<Holds>();
        var db = M.Get<SettlementDb>();
        var people = new Guid[Participants];
        for (var i = 0; i < Participants; i++)
        {
            people[i] = await M.FundedParticipantAsync();
        }

        var bank = await M.AccountAsync(null, "BankClearing");
        var available = new long[Participants];
        var held = new long[Participants];
        var payable = new long[Participants];
        var openHolds = new List<(Guid Id, int Owner, long Amount, bool Open)>();
        var deposits = new List<(Guid Id, int Owner, long Amount, bool Reversed)>();
        var now = DateTimeOffset.UtcNow;

        async Task<bool> Try(Func<UnitOfWork, Task> action)
        {
            try
            {
                await using var uow = await db.BeginAsync();
                await action(uow);
                await uow.CommitAsync();
                return true;
            }
            catch (LedgerException)
            {
                return false;
            }
        }

        foreach (var op in ops)
        {
            var p = op.Participant;
            switch (op.Kind)
            {
                case 0:
                    var depositId = Guid.NewGuid();
                    var availableAccount = await M.AccountAsync(people[p], "Available");
                    Assert.True(await Try(uow => ledger.PostAsync(uow, new EntryRequest(
                        depositId, "deposit", null, [new Leg(bank, "CNY", -op.Amount), new Leg(availableAccount, "CNY", op.Amount)], Guid.Empty), now)));
                    available[p] += op.Amount;
                    deposits.Add((depositId, p, op.Amount, false));
                    break;
                case 1 or 4:
                    var holdId = Guid.NewGuid();
                    var placed = await Try(uow => holds.PlaceAsync(uow, holdId, people[p], "CNY", op.Amount, "test", people[p], now));
                    Assert.Equal(available[p] >= op.Amount, placed);
                    if (!placed)
                    {
                        break;
                    }

                    available[p] -= op.Amount;
                    held[p] += op.Amount;
                    openHolds.Add((holdId, p, op.Amount, true));
                    if (op.Kind == 4)
                    {
                        Assert.True(await Try(uow => holds.PostAsync(uow, holdId, [(bank, op.Amount)], "withdrawal", people[p], now)));
                        held[p] -= op.Amount;
                        openHolds[^1] = openHolds[^1] with { Open = false };
                    }

                    break;
                case 2 or 3 when openHolds.Count > 0:
                    var index = op.Target % openHolds.Count;
                    var hold = openHolds[index];
                    var to = op.Target % Participants;
                    var payableAccount = await M.AccountAsync(people[to], "Payable");
                    var done = op.Kind == 2
                        ? await Try(uow => holds.PostAsync(uow, hold.Id, [(payableAccount, hold.Amount)], "trade", people[p], now))
                        : await Try(uow => holds.VoidAsync(uow, hold.Id, people[p], now));
                    Assert.Equal(hold.Open, done);
                    if (done)
                    {
                        held[hold.Owner] -= hold.Amount;
                        if (op.Kind == 2)
                        {
                            payable[to] += hold.Amount;
                        }
                        else
                        {
                            available[hold.Owner] += hold.Amount;
                        }

                        openHolds[index] = hold with { Open = false };
                    }

                    break;
                case 5 when deposits.Count > 0:
                    var d = op.Target % deposits.Count;
                    var deposit = deposits[d];
                    var reversed = await Try(uow => ledger.ReverseAsync(uow, deposit.Id, Guid.NewGuid(), Guid.Empty, "test", now));
                    Assert.Equal(!deposit.Reversed && available[deposit.Owner] >= deposit.Amount, reversed);
                    if (reversed)
                    {
                        available[deposit.Owner] -= deposit.Amount;
                        deposits[d] = deposit with { Reversed = true };
                    }

                    break;
            }
        }

        for (var i = 0; i < Participants; i++)
        {
            Assert.Equal(
                (available[i], held[i], payable[i]),
                (await M.BalanceAsync(people[i], "Available"), await M.BalanceAsync(people[i], "Held"), await M.BalanceAsync(people[i], "Payable")));
        }

        var report = await M.Get<Reconciler>().RunAsync(default);
        Assert.True(report.Balanced, string.Join("; ", report.Differences));
    }
}
