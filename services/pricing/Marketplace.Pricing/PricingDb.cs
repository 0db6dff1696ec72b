using Marketplace.BuildingBlocks.Data;
using Microsoft.Extensions.Configuration;

namespace Marketplace.Pricing;

/// <summary>The pricing schema.</summary>
public sealed class PricingDb(IConfiguration configuration)
    : ServiceDb(DatabaseSettings.From(configuration, PricingModule.Name));
