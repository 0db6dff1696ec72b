namespace Marketplace.BuildingBlocks.Messaging;

/// <summary>Section <c>Messaging</c>: which transport carries the events between services.</summary>
public sealed class MessagingSettings
{
    /// <summary><c>InMemory</c> (the embedded default: one process) or <c>RabbitMq</c> (distributed).</summary>
    public MessagingTransport Transport { get; set; } = MessagingTransport.InMemory;

    /// <summary>The broker, as <c>amqp://user:password@host:port/vhost</c>.</summary>
    public string RabbitMqUrl { get; set; } = "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>Declare service queues as quorum queues (a RabbitMQ cluster in production).</summary>
    public bool QuorumQueues { get; set; }
}

public enum MessagingTransport
{
    InMemory,
    RabbitMq,
}
