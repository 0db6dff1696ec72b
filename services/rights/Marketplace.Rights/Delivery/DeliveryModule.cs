using Marketplace.BuildingBlocks.Hosting;
using Marketplace.BuildingBlocks.Hosting.Auth;
using Marketplace.Rights.Delivery.Api;
using Marketplace.Rights.Delivery.Blobs;
using Marketplace.Rights.Delivery.Files;
using Marketplace.Rights.Delivery.Keys;
using Marketplace.Rights.Delivery.Usage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.Rights.Delivery;

/// <summary>
/// Delivery's part of the rights service: the blob store chosen by <c>Rights:Delivery:Store</c>, the delivery gate,
/// signed links and the usage recorder; and its routes — uploads and file lists under products and licences, the
/// token-less download links under <c>/rights/delivery/</c>.
/// </summary>
internal static class DeliveryModule
{
    public static void AddDelivery(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Rights:Delivery");
        var settings = section.Get<DeliverySettings>() ?? new DeliverySettings();
        settings.ThrowIfInvalid();
        builder.Services.Configure<DeliverySettings>(section);
        if (settings.Store == "S3")
        {
            builder.Services.AddSingleton<IBlobStore>(_ => new S3BlobStore(S3BlobStore.Client(settings.S3), settings.S3));
        }
        else
        {
            var directory = settings.Directory ?? Path.Combine(builder.Configuration["Database:SqliteDirectory"] ?? "data", "blobs");
            builder.Services.AddSingleton<IBlobStore>(_ => new FileSystemBlobStore(directory));
        }

        // Upstream credentials are encrypted with Data Protection, its key ring in the rights database (shared by every instance).
        builder.Services.AddDataProtection().SetApplicationName("marketplace-rights");
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(services =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new KeyRing(services.GetRequiredService<RightsDb>())));
        if (builder.Environment.IsProduction() && settings.LinkKeys.Count == 0)
        {
            throw new InvalidOperationException("Rights:Delivery:LinkKeys and LinkKeyId are required in Production (base64 keys of at least 32 bytes).");
        }
        builder.Services.AddHttpForwarder();
        // A line per forwarded call would cost the data plane more than the forwarding: only problems are logged.
        builder.Logging.AddFilter("Yarp.ReverseProxy.Forwarder", LogLevel.Warning);
        builder.Services.AddSingleton<UpstreamClient>();
        builder.Services.AddSingleton<DeliveryGate>();
        builder.Services.AddSingleton<SignedLinks>();
        builder.Services.AddSingleton<ApiSources>();
        builder.Services.AddSingleton<ApiKeys>();
        builder.Services.AddSingleton<DataPlaneLimits>();
        builder.Services.AddPeriodicWork<DeliveryRecorder>();
    }
}
