using FluentValidation;

namespace Marketplace.BuildingBlocks.Http;

/// <summary>Money on the wire, for every service: a positive amount in minor units (fen for CNY) and an ISO 4217 code.</summary>
public static class Money
{
    /// <summary>The largest single amount accepted (10¹⁵ fen): far above any trade, far below overflow.</summary>
    public const long MaxAmount = 1_000_000_000_000_000;

    public static IRuleBuilderOptions<T, long?> ValidAmount<T>(this IRuleBuilder<T, long?> rule) =>
        rule.NotNull().GreaterThan(0).LessThanOrEqualTo(MaxAmount);

    public static IRuleBuilderOptions<T, string?> ValidCurrency<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().Matches("^[A-Z]{3}$").WithMessage("Currency must be an ISO 4217 code such as CNY.");
}
