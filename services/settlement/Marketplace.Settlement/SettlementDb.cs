using Marketplace.BuildingBlocks.Data;
using Microsoft.Extensions.Configuration;

namespace Marketplace.Settlement;

/// <summary>The settlement schema.</summary>
public sealed class SettlementDb(IConfiguration configuration)
    : ServiceDb(DatabaseSettings.From(configuration, SettlementModule.Name));
