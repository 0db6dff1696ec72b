namespace Marketplace.BuildingBlocks.Hosting.Auth;

/// <summary>The three roles a token may carry (claim <c>role</c>); each is also the name of a policy.</summary>
public static class Roles
{
    public const string Provider = "provider";
    public const string Buyer = "buyer";
    public const string Operator = "operator";

    /// <summary>Policy: a participant acting for itself (provider or buyer), not an operator.</summary>
    public const string Participant = "participant";

    /// <summary>Policy: any admitted participant (provider or buyer) or an operator.</summary>
    public const string AnyParticipant = "any-participant";

    public static readonly IReadOnlyList<string> All = [Provider, Buyer, Operator];
}
