namespace Marketplace.BuildingBlocks.Data;

/// <summary>
/// The one way a service keeps its copy of another service's entity from that service's events. Every event carries
/// the entity's version: the first (the entity's creation) inserts the row if it is not there; each later change
/// updates it only where the stored version is older (<c>WHERE id = @Id AND version &lt; @Version</c>), so an older or
/// repeated event changes nothing; and a change that overtakes the event creating the row throws
/// <see cref="NotYetKnownException"/>, which the consumer's retry delivers again until the row is there.
/// </summary>
public static class ReadModel
{
    /// <summary>Applies a versioned change (<paramref name="updateSql"/>); throws when the row it changes is not known yet.</summary>
    public static async Task ChangeAsync(UnitOfWork uow, string updateSql, string existsSql, Guid id, object args, string what)
    {
        if (await uow.ExecuteAsync(updateSql, args) == 0 && await uow.ExecuteScalarAsync<long>(existsSql, new { Id = id }) == 0)
        {
            throw new NotYetKnownException(what, id);
        }
    }
}

/// <summary>A change arrived before the event that creates what it changes; the retry policy delivers it again.</summary>
public sealed class NotYetKnownException(string what, Guid id)
    : Exception($"{what} {id} is not known here yet; the event creating it has not arrived.");
