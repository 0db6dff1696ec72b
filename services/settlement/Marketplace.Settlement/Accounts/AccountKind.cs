namespace Marketplace.Settlement.Accounts;

/// <summary>
/// Ledger accounts. A participant has the first three, one per currency; the exchange has the last three.
/// Balances follow one sign convention: a leg's amount is the change to the account's balance, and an entry's legs
/// sum to zero per currency. Money the exchange holds for others is positive on their accounts; the bank
/// clearing account mirrors the bank, so it runs negative by what sits in the exchange's bank account.
/// </summary>
public enum AccountKind
{
    /// <summary>Funds the participant may spend or withdraw. Never below zero.</summary>
    Available,

    /// <summary>Funds reserved by open holds (escrow for a trade, a pending withdrawal). Never below zero.</summary>
    Held,

    /// <summary>Proceeds owed to the participant as a rights holder, withdrawable after the dispute window.</summary>
    Payable,

    /// <summary>The exchange's fee income.</summary>
    FeeRevenue,

    /// <summary>Tax collected on trades, owed to the tax authority.</summary>
    TaxPayable,

    /// <summary>The other side of every deposit and withdrawal: the exchange's bank account, negated. No limit.</summary>
    BankClearing,
}
