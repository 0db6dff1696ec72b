using Marketplace.BuildingBlocks.Messaging;
using Marketplace.Contracts.Catalog;

namespace Marketplace.Tests.Foundation;

/// <summary>The in-memory hand-off from a commit to the dispatcher: oldest first, and bounded.</summary>
public sealed class OutboxHandoffTests
{
    private static OutboxMessage Row(long seq) =>
        new(seq, Guid.NewGuid(), new ParticipantSuspended(Guid.NewGuid(), "test", 1, DateTimeOffset.UtcNow), null, DateTimeOffset.UtcNow.AddSeconds(30));

    [Fact]
    public void Rows_are_taken_oldest_first_at_most_the_number_asked()
    {
        var handoff = new OutboxHandoff();
        handoff.Post([Row(1), Row(2)]);
        handoff.Post([Row(3)]);

        Assert.Equal([1L, 2L], handoff.Take(2).Select(r => r.Seq));
        Assert.Equal(1, handoff.Count);
        Assert.Equal([3L], handoff.Take(10).Select(r => r.Seq));
        Assert.Empty(handoff.Take(10));
    }

    [Fact]
    public void Past_its_capacity_rows_are_not_held_in_memory_and_are_left_to_the_claim()
    {
        var handoff = new OutboxHandoff(capacity: 2);
        handoff.Post([Row(1), Row(2), Row(3)]);
        handoff.Post([Row(4)]);

        Assert.Equal(2, handoff.Count);
        Assert.Equal([1L, 2L], handoff.Take(10).Select(r => r.Seq));

        handoff.Post([Row(5)]);
        Assert.Equal([5L], handoff.Take(10).Select(r => r.Seq));
    }
}
