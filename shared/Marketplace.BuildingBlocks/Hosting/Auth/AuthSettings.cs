namespace Marketplace.BuildingBlocks.Hosting.Auth;

/// <summary>
/// Section <c>Auth</c>. In production set <c>Authority</c> (an OpenID Connect issuer whose keys are discovered) or a
/// <c>SigningKey</c> shared with the token issuer. Outside Production, without either, every start makes a random
/// development key and <c>POST /dev/token</c> issues tokens signed with it.
/// </summary>
public sealed class AuthSettings
{
    public string Issuer { get; set; } = "marketplace";

    public string Audience { get; set; } = "marketplace";

    /// <summary>OIDC authority (production).</summary>
    public string? Authority { get; set; }

    /// <summary>Base64 HMAC-SHA256 key, at least 32 bytes. All processes of one deployment must share it.</summary>
    public string? SigningKey { get; set; }

    public TimeSpan DevTokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>The longest lifetime (<c>exp − iat</c>) a token may claim; longer-lived tokens are refused.</summary>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromHours(24);
}
