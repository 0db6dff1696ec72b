using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.BuildingBlocks.Messaging;

/// <summary>
/// MassTransit may be added to a container once, yet the embedded host composes four services. So each service
/// only records its consumers (<see cref="AddConsumers"/>), and the host adds the one bus after all services
/// (<see cref="AddMarketplaceBus"/>), with the transport chosen by configuration. MassTransit's anonymous usage
/// telemetry (on by default since 8.4, posted to the MassTransit project over the internet) is switched off: an
/// exchange does not report its configuration to a third party, and its hosts have no route out anyway.
/// </summary>
public static class MessagingRegistration
{
    public static WebApplicationBuilder AddConsumers(
        this WebApplicationBuilder builder, Action<IBusRegistrationConfigurator> register)
    {
        ConsumerRegistrations(builder.Services).Add(register);
        return builder;
    }

    public static WebApplicationBuilder AddMarketplaceBus(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("Messaging").Get<MessagingSettings>() ?? new MessagingSettings();
        var registrations = ConsumerRegistrations(builder.Services);
        var grace = Hosting.ShutdownGrace.Read(builder.Configuration);
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(host =>
        {
            host.StopTimeout = grace;
            host.ConsumerStopTimeout = Hosting.ShutdownGrace.ConsumerStop(grace);
        });
        builder.Services.AddMassTransit(bus =>
        {
            bus.ConfigureUsageTelemetryOptions(options => options.Enabled = false);
            foreach (var register in registrations)
            {
                register(bus);
            }

            if (settings.Transport == MessagingTransport.RabbitMq)
            {
                bus.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(new Uri(settings.RabbitMqUrl));
                    if (settings.QuorumQueues)
                    {
                        cfg.SetQuorumQueue();
                    }

                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                bus.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
            }
        });
        return builder;
    }

    private static List<Action<IBusRegistrationConfigurator>> ConsumerRegistrations(IServiceCollection services)
    {
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(ConsumerList))?.ImplementationInstance;
        if (existing is ConsumerList list)
        {
            return list;
        }

        var created = new ConsumerList();
        services.AddSingleton(created);
        return created;
    }

    private sealed class ConsumerList : List<Action<IBusRegistrationConfigurator>>;
}
