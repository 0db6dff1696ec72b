namespace Marketplace.Settlement.Accounts;

/// <summary>The ledger accounts each participant has, one per currency.</summary>
public enum AccountKind
{
    /// <summary>Funds the participant may spend or withdraw.</summary>
    Available,

    /// <summary>Funds reserved by a pending hold (escrow for a trade, a pending withdrawal).</summary>
    Held,

    /// <summary>Proceeds owed to the participant as a rights holder, withdrawable after the dispute window.</summary>
    Payable,
}
