using Marketplace.BuildingBlocks.Data;
using Microsoft.Extensions.Configuration;

namespace Marketplace.Catalog;

/// <summary>The catalog schema.</summary>
public sealed class CatalogDb(IConfiguration configuration)
    : ServiceDb(DatabaseSettings.From(configuration, CatalogModule.Name));
