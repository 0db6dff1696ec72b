using BenchmarkDotNet.Attributes;
using Marketplace.BuildingBlocks;
using Marketplace.BuildingBlocks.Http;
using Marketplace.Contracts.Catalog;
using Marketplace.Contracts.Pricing;
using Marketplace.Contracts.Rights;
using Marketplace.Pricing.Fees;
using Marketplace.Pricing.Plans;
using Marketplace.Pricing.Quotes;
using Marketplace.Settlement.Journal;

namespace Marketplace.Benchmarks;

/// <summary>The hot paths of a trade that are pure computation: the split, a quote, a journal link.</summary>
[MemoryDiagnoser]
public class MicroBenchmarks
{
    private static readonly int[] TwoHolders = [6_667, 3_333];
    private static readonly int[] TenHolders = [1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000];
    private static readonly PlanTerms Metered = new(
        PlanKind.Metered, "API", "CNY", null, null, null, null, MeterUnit.Call, TierMode.Graduated, 1_000,
        [new Tier(100_000, 500), new Tier(1_000_000, 400), new Tier(null, 300)], 10_000);

    private static readonly JournalEntry Entry = new()
    {
        Position = 1_234_567,
        OrderId = Guid.NewGuid(),
        OrderVersion = 5,
        State = "Completed",
        Detail = new string('x', 900),
        ActorId = Guid.NewGuid(),
        RecordedAt = DateTimeOffset.UtcNow,
        PrevHash = new string('0', 64),
    };

    [Benchmark]
    public long[] SplitTwoHolders() => Money.Split(100_001, TwoHolders);

    [Benchmark]
    public long[] SplitTenHolders() => Money.Split(987_654_321, TenHolders);

    [Benchmark]
    public Priced? QuoteMeteredThreeTiers() => QuoteCalculator.Price(Metered, 2_500_000, FeeSchedule.Default, "G", DataGrade.General).Priced;

    [Benchmark]
    public string JournalLink() => TradeJournal.HashOf(Entry);
}
