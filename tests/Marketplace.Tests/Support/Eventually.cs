namespace Marketplace.Tests.Support;

/// <summary>
/// Bounded "eventually" probes for asynchronous outcomes (a consumer in another service, a broker coming back):
/// the condition is polled until it holds or the time-out passes, and the test fails with what was last seen.
/// </summary>
public static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T?>> probe, TimeSpan? timeout = null, string? what = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        using var cts = new CancellationTokenSource(limit);
        Exception? last = null;
        while (true)
        {
            try
            {
                var value = await probe();
                if (value is not null)
                {
                    return value;
                }
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                last = ex;
            }

            if (cts.IsCancellationRequested)
            {
                throw new TimeoutException($"{what ?? "The condition"} did not hold within {limit}.", last);
            }

            await Task.Delay(50, CancellationToken.None);
        }
    }

    public static Task True(Func<Task<bool>> probe, TimeSpan? timeout = null, string? what = null) =>
        Get<object>(async () => await probe() ? new object() : null, timeout, what);
}
