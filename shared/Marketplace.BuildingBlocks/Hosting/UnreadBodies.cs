using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Marketplace.BuildingBlocks.Hosting;

/// <summary>
/// A request refused before its body is read (401, 403, 404 …) whose declared body is larger than the host accepts
/// cannot be drained afterwards: Kestrel then drops the connection once the refusal is sent. Saying so in the refusal
/// (<c>Connection: close</c>) keeps a client from sending its next request down a connection that is about to close —
/// which it would otherwise see as a response that ended prematurely.
/// </summary>
public static class UnreadBodies
{
    public static IApplicationBuilder UseCloseAfterUnreadLargeBodies(this IApplicationBuilder app, long maxRequestBodyBytes) => app.Use((context, next) =>
    {
        if (context.Request.ContentLength > maxRequestBodyBytes)
        {
            context.Response.OnStarting(() =>
            {
                if (context.Response.StatusCode >= StatusCodes.Status400BadRequest)
                {
                    context.Response.Headers[HeaderNames.Connection] = "close";
                }

                return Task.CompletedTask;
            });
        }

        return next(context);
    });
}
