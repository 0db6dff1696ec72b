using Marketplace.Contracts.Settlement;
using Marketplace.Settlement.Orders;

namespace Marketplace.Tests.Trades;

/// <summary>The order lifecycle as one table: every pair of states walked, the ends, what admission counts, the reason codes.</summary>
public sealed class OrderLifecycleTests
{
    private static readonly (OrderStatus From, OrderStatus To)[] Allowed =
    [
        (OrderStatus.Requested, OrderStatus.AwaitingProvider), (OrderStatus.Requested, OrderStatus.AwaitingQuote), (OrderStatus.Requested, OrderStatus.Quoted),
        (OrderStatus.Requested, OrderStatus.Rejected), (OrderStatus.Requested, OrderStatus.Cancelled), (OrderStatus.Requested, OrderStatus.Failed),
        (OrderStatus.AwaitingProvider, OrderStatus.AwaitingQuote), (OrderStatus.AwaitingProvider, OrderStatus.Quoted), (OrderStatus.AwaitingProvider, OrderStatus.Rejected),
        (OrderStatus.AwaitingProvider, OrderStatus.Expired), (OrderStatus.AwaitingProvider, OrderStatus.Cancelled), (OrderStatus.AwaitingProvider, OrderStatus.Failed),
        (OrderStatus.AwaitingQuote, OrderStatus.Quoted), (OrderStatus.AwaitingQuote, OrderStatus.Rejected), (OrderStatus.AwaitingQuote, OrderStatus.Cancelled),
        (OrderStatus.AwaitingQuote, OrderStatus.Failed),
        (OrderStatus.Quoted, OrderStatus.Completed), (OrderStatus.Quoted, OrderStatus.Expired), (OrderStatus.Quoted, OrderStatus.Cancelled), (OrderStatus.Quoted, OrderStatus.Failed),
        (OrderStatus.Completed, OrderStatus.Disputed), (OrderStatus.Completed, OrderStatus.Refunded),
        (OrderStatus.Disputed, OrderStatus.Completed), (OrderStatus.Disputed, OrderStatus.Refunded),
    ];

    [Fact]
    public void Every_pair_of_states_is_allowed_exactly_when_the_table_says_so()
    {
        foreach (var from in Enum.GetValues<OrderStatus>())
        {
            foreach (var to in Enum.GetValues<OrderStatus>())
            {
                Assert.True(OrderLifecycle.Allows(from, to) == (from == to || Allowed.Contains((from, to))), $"{from} → {to}");
            }
        }
    }

    [Fact]
    public void Every_state_is_reachable_from_requested_and_the_ends_lead_nowhere()
    {
        var reached = new HashSet<OrderStatus> { OrderStatus.Requested };
        var frontier = new Queue<OrderStatus>(reached);
        while (frontier.TryDequeue(out var state))
        {
            foreach (var next in OrderLifecycle.Transitions[state].Where(reached.Add))
            {
                frontier.Enqueue(next);
            }
        }

        Assert.Equal(Enum.GetValues<OrderStatus>().ToHashSet(), reached);
        OrderStatus[] ends = [OrderStatus.Rejected, OrderStatus.Expired, OrderStatus.Cancelled, OrderStatus.Failed, OrderStatus.Refunded];
        Assert.All(ends, end => Assert.Empty(OrderLifecycle.Transitions[end]));
        Assert.Equal([OrderStatus.Requested, OrderStatus.AwaitingProvider, OrderStatus.AwaitingQuote, OrderStatus.Quoted],
            Enum.GetValues<OrderStatus>().Where(OrderLifecycle.IsOpen));
    }

    [Fact]
    public void An_unsettled_end_is_told_to_rights_and_pricing_and_no_other_state_is()
    {
        Assert.Equal(
            [(OrderStatus.Rejected, OrderEndState.Rejected), (OrderStatus.Expired, OrderEndState.Expired), (OrderStatus.Cancelled, OrderEndState.Cancelled), (OrderStatus.Failed, OrderEndState.Failed)],
            Enum.GetValues<OrderStatus>().Where(s => OrderLifecycle.EndState(s) is not null).Select(s => (s, OrderLifecycle.EndState(s)!.Value)));
    }

    [Fact]
    public void Admission_counts_in_sql_the_states_the_lifecycle_names_and_reasons_read_as_stable_codes()
    {
        Assert.Equal(OrderStore.WaitingOnExchange, string.Join(", ", OrderLifecycle.WaitingOnExchange.Select(s => $"'{s}'")));
        Assert.Equal("quote-expired", OrderReason.QuoteExpired.Code());
        Assert.Equal("provider-approval-lapsed", OrderReason.ProviderApprovalLapsed.Code());
        Assert.Equal(Enum.GetValues<OrderReason>().Length, Enum.GetValues<OrderReason>().Select(r => r.Code()).Distinct().Count());
    }
}
