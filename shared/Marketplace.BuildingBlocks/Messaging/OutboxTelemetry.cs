using System.Diagnostics;

namespace Marketplace.BuildingBlocks.Messaging;

public static class OutboxTelemetry
{
    /// <summary>Spans for outbox publishes, parented on the trace that wrote the row.</summary>
    public static readonly ActivitySource Source = new("Marketplace.Outbox");
}
