using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Marketplace.Settlement.Ledger;

/// <summary>One leg of an entry: the change to one account's balance, in minor units.</summary>
public sealed record Leg(Guid AccountId, string Currency, long Amount);

/// <summary>
/// A journal entry to post. <see cref="Id"/> is chosen by the client and is the idempotency key: posting the same id
/// again returns the first entry; the same id with other content (kind, legs, reversal) is refused.
/// </summary>
public sealed record EntryRequest(
    Guid Id,
    string Kind,
    string? Description,
    IReadOnlyList<Leg> Legs,
    Guid Actor,
    Guid? Reverses = null)
{
    /// <summary>What makes two requests "the same content": everything but the description and who asked.</summary>
    public string ContentHash()
    {
        var text = new StringBuilder().Append(Kind).Append('|').Append(Reverses?.ToString("D") ?? "-");
        foreach (var leg in Legs.OrderBy(l => l.AccountId).ThenBy(l => l.Currency, StringComparer.Ordinal).ThenBy(l => l.Amount))
        {
            text.Append('|').Append(leg.AccountId.ToString("D")).Append(':').Append(leg.Currency).Append(':')
                .Append(leg.Amount.ToString(CultureInfo.InvariantCulture));
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

/// <summary>A posted entry as the ledger reports it.</summary>
public sealed record PostedEntry(Guid Id, string Kind, IReadOnlyList<PostedLeg> Legs, DateTimeOffset CreatedAt, bool Replayed);

public sealed record PostedLeg
{
    public Guid AccountId { get; init; }

    public string Currency { get; init; } = "";

    public long Amount { get; init; }

    public long BalanceAfter { get; init; }
}
