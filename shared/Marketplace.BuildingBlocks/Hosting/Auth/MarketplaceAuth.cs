using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace Marketplace.BuildingBlocks.Hosting.Auth;

/// <summary>JWT bearer authentication and role policies, the same in every service.</summary>
public static class MarketplaceAuth
{
    public static WebApplicationBuilder AddMarketplaceAuth(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("Auth").Get<AuthSettings>() ?? new AuthSettings();
        SymmetricSecurityKey? key = null;
        if (string.IsNullOrEmpty(settings.Authority))
        {
            if (!string.IsNullOrEmpty(settings.SigningKey))
            {
                key = new SymmetricSecurityKey(Convert.FromBase64String(settings.SigningKey));
                if (key.KeySize < 256)
                {
                    throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes (base64).");
                }
            }
            else if (builder.Environment.IsProduction())
            {
                throw new InvalidOperationException("In Production set Auth:Authority (OIDC) or Auth:SigningKey.");
            }
            else
            {
                key = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32));
            }
        }

        builder.Services.AddSingleton(new TokenSigning(settings, key));
        builder.Services.Configure<BootstrapSettings>(builder.Configuration.GetSection("Bootstrap"));
        builder.Services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                options.SaveToken = false; // nothing reads the raw token back; storing it cost every request an allocation
                options.Audience = settings.Audience;
                if (key is null)
                {
                    options.Authority = settings.Authority;
                }

                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = key is null ? null : settings.Issuer,
                    ValidateIssuer = true,
                    ValidAudience = settings.Audience,
                    ValidateAudience = true,
                    IssuerSigningKey = key,
                    ValidateIssuerSigningKey = true,
                    NameClaimType = Caller.SubjectClaim,
                    RoleClaimType = Caller.RoleClaim,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };

                // Every object check compares the caller's participant id (sub) with an owner id: a token whose
                // subject is not a participant id is refused here, once, rather than in every handler. So is a token
                // that claims to live longer than the deployment allows: a stolen one must not be good for years.
                options.Events = new JwtBearerEvents
                {
                    OnTokenValidated = context =>
                    {
                        if (Refusal(context.Principal, context.SecurityToken, settings.MaxTokenLifetime) is { } refusal)
                        {
                            context.Fail(refusal);
                        }

                        return Task.CompletedTask;
                    },
                };
            });

        var authorization = builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Roles.AnyParticipant, p => p.RequireRole(Roles.All))
            .AddPolicy(Roles.Participant, p => p.RequireRole(Roles.Provider, Roles.Buyer));
        foreach (var role in Roles.All)
        {
            authorization.AddPolicy(role, p => p.RequireRole(role));
        }

        if (settings.MaxTokenLifetime <= TimeSpan.Zero || settings.DevTokenLifetime <= TimeSpan.Zero || settings.DevTokenLifetime > settings.MaxTokenLifetime)
        {
            throw new InvalidOperationException("Auth:MaxTokenLifetime must be positive and Auth:DevTokenLifetime positive and no longer than it.");
        }

        return builder;
    }

    /// <summary>Why a validated token is still refused: its subject is not a participant id, or its lifetime is too long.</summary>
    internal static string? Refusal(System.Security.Claims.ClaimsPrincipal? principal, SecurityToken token, TimeSpan maxLifetime)
    {
        var sub = principal?.FindFirst(Caller.SubjectClaim)?.Value;
        if (!Guid.TryParseExact(sub, "D", out var id) || id == Guid.Empty)
        {
            return "The token's sub claim is not a participant id (a non-empty GUID such as 0192f0c1-7c3e-7d2a-9b1e-3f4a5b6c7d8e).";
        }

        var issued = token is Microsoft.IdentityModel.JsonWebTokens.JsonWebToken jwt ? jwt.IssuedAt : DateTime.MinValue;
        if (issued == DateTime.MinValue)
        {
            return "The token has no iat (issued-at) claim, so its lifetime cannot be checked.";
        }

        return token.ValidTo - issued > maxLifetime
            ? $"The token is valid for {token.ValidTo - issued}, longer than the {maxLifetime} this exchange allows."
            : null;
    }
}

/// <summary>The key tokens are checked with; the development issuer signs with the same one.</summary>
public sealed record TokenSigning(AuthSettings Settings, SymmetricSecurityKey? Key)
{
    /// <summary>A token for <paramref name="subject"/> in <paramref name="roles"/>, valid from now for the dev lifetime.</summary>
    public string CreateToken(Guid subject, IEnumerable<string> roles, DateTimeOffset now)
    {
        var key = Key ?? throw new InvalidOperationException("Tokens come from the OIDC authority here; nothing can sign them locally.");
        var claims = new List<System.Security.Claims.Claim> { new(Caller.SubjectClaim, subject.ToString()) };
        claims.AddRange(roles.Distinct().Select(role => new System.Security.Claims.Claim(Caller.RoleClaim, role)));
        return new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Settings.Issuer,
            Audience = Settings.Audience,
            Subject = new System.Security.Claims.ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + Settings.DevTokenLifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }
}
