using Marketplace.BuildingBlocks.Data;
using Microsoft.Extensions.Configuration;

namespace Marketplace.Rights;

/// <summary>The rights schema.</summary>
public sealed class RightsDb(IConfiguration configuration)
    : ServiceDb(DatabaseSettings.From(configuration, RightsModule.Name));
