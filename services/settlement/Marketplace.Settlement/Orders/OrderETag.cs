using Marketplace.BuildingBlocks.Http;
using Microsoft.AspNetCore.Http;

namespace Marketplace.Settlement.Orders;

/// <summary>
/// An answer that carries an order names its version as ETag, as <c>GET /settlement/orders/{id}</c> does: the buyer who
/// placed, accepted or cancelled it can wait for its next state with <c>If-None-Match</c> straight away, without
/// reading it first.
/// </summary>
internal static class OrderETag
{
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        if ((result is INestedHttpResult nested ? nested.Result : result) is IValueHttpResult { Value: OrderResponse order })
        {
            ETags.Set(context.HttpContext, order.Version);
        }

        return result;
    }
}
