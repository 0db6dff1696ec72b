using Marketplace.BuildingBlocks.Data;

namespace Marketplace.Tests.Foundation;

/// <summary>Derived ids: reproducible, distinct per step, and keyed in the time order of what they derive from.</summary>
public sealed class DeterministicIdTests
{
    [Fact]
    public void A_step_of_an_id_is_the_same_every_time_distinct_per_step_and_keeps_its_parents_time()
    {
        var order = Guid.CreateVersion7(new DateTimeOffset(2026, 12, 7, 23, 30, 0, TimeSpan.Zero));
        var escrow = DeterministicId.From(order, "escrow");
        Assert.Equal(escrow, DeterministicId.From(order, "escrow"));
        Assert.NotEqual(escrow, DeterministicId.From(order, "licence"));
        Assert.Equal(order.ToString("N")[..12], escrow.ToString("N")[..12]); // the 48-bit millisecond timestamp
        Assert.Equal(8, escrow.Version);
        Assert.Equal(order.ToString("N")[..12], DeterministicId.From(escrow, "post").ToString("N")[..12]);

        // Later orders' steps sort after earlier orders' steps.
        var later = Guid.CreateVersion7(new DateTimeOffset(2026, 12, 7, 23, 30, 1, TimeSpan.Zero));
        Assert.True(string.CompareOrdinal(DeterministicId.From(later, "escrow").ToString("N"), escrow.ToString("N")) > 0);
    }
}
