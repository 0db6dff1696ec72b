using System.Text.Json;
using System.Text.Json.Serialization;
using Marketplace.Contracts.Catalog;

namespace Marketplace.BuildingBlocks.Messaging;

/// <summary>Names and (de)serialises outbox messages. Every message type lives in the contracts assembly.</summary>
public static class MessageTypes
{
    private static readonly System.Reflection.Assembly Contracts = typeof(ParticipantAdmitted).Assembly;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string NameOf(Type type) =>
        type.Assembly == Contracts
            ? type.FullName!
            : throw new ArgumentException($"{type} is not a message contract: contracts live in {Contracts.GetName().Name}.");

    public static Type Resolve(string name) =>
        Contracts.GetType(name, throwOnError: false)
        ?? throw new InvalidOperationException($"Unknown message type '{name}'.");

    public static string Serialize(object message) => JsonSerializer.Serialize(message, message.GetType(), Json);

    public static object Deserialize(string body, Type type) =>
        JsonSerializer.Deserialize(body, type, Json)
        ?? throw new InvalidOperationException($"Outbox body for {type.Name} deserialised to null.");
}
