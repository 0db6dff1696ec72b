using Marketplace.BuildingBlocks.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.BuildingBlocks.Http;

/// <summary>How the change pipeline reads, stamps and writes one kind of versioned resource.</summary>
/// <param name="Name">The resource in a 404's words (<c>The product</c>).</param>
/// <param name="Update">The versioned update: false when the stored version is no longer the expected one.</param>
public sealed record Versioned<T>(
    string Name,
    Func<UnitOfWork, Guid, Task<T?>> Find,
    Func<T, int> Version,
    Func<T, int, DateTimeOffset, T> Stamp,
    Func<UnitOfWork, T, int, Task<bool>> Update)
    where T : class;

/// <summary>What a request decided about a resource: its new state, a refusal, or (neither) nothing to change.</summary>
public interface IChange<out T>
{
    T? Changed { get; }

    ProblemHttpResult? Refusal { get; }
}

/// <summary>
/// The one way a request changes a versioned resource, in every service: in one unit of work, find it (anyone who may
/// not change it gets the 404 a missing one gets), honour <c>If-Match</c> (412), decide, stamp the next version and
/// write it with optimistic concurrency (a concurrent change: 412, nothing written), then the service's own writes for
/// the change — its history row, its event in the outbox, anything else — and answer the resource with its ETag.
/// </summary>
public static class VersionedChange
{
    public static Task<Results<Ok<TView>, ProblemHttpResult>> ApplyAsync<T, TChange, TView>(
        IUnitOfWorkRunner committer,
        Versioned<T> resource,
        Guid id,
        Func<T, bool> mayChange,
        Func<UnitOfWork, T, DateTimeOffset, Task<TChange>> decide,
        Func<UnitOfWork, T, T, TChange, DateTimeOffset, Task> written,
        Func<T, TView> view,
        HttpContext http,
        TimeProvider time,
        CancellationToken ct)
        where T : class
        where TChange : IChange<T> =>
        committer.RunAsync<Results<Ok<TView>, ProblemHttpResult>>(
            async uow =>
            {
                var current = await resource.Find(uow, id);
                if (current is null || !mayChange(current))
                {
                    return Problems.NotFound(resource.Name);
                }

                var version = resource.Version(current);
                if (ETags.IfMatch(http.Request) is { } expected && expected != version)
                {
                    return Problems.VersionMismatch(version);
                }

                var now = time.GetUtcNow();
                var change = await decide(uow, current, now);
                if (change.Refusal is { } refusal)
                {
                    return uow.RollBack(refusal);
                }

                var result = current;
                if (change.Changed is { } changed)
                {
                    result = resource.Stamp(changed, version + 1, now);
                    if (!await resource.Update(uow, result, version))
                    {
                        return uow.RollBack(Problems.VersionMismatch(version));
                    }

                    await written(uow, current, result, change, now);
                }

                ETags.Set(http, resource.Version(result));
                return TypedResults.Ok(view(result));
            },
            ct);
}
