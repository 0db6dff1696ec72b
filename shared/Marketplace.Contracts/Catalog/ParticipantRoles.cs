namespace Marketplace.Contracts.Catalog;

/// <summary>The capacities an admitted participant may act in.</summary>
[Flags]
public enum ParticipantRoles
{
    None = 0,
    Provider = 1,
    Buyer = 2,
}
