using System.Security.Cryptography;
using System.Text;

namespace Marketplace.BuildingBlocks.Data;

/// <summary>
/// Ids derived from names (RFC 9562 version 8, SHA-256 based): the same inputs always give the same id. Used where
/// an id must be reproducible — from a client's Idempotency-Key, or a step of a known operation (a hold's posting).
/// </summary>
public static class DeterministicId
{
    public static Guid From(params string[] parts)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts)), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    public static Guid From(Guid id, string step) => From(id.ToString("D"), step);
}
