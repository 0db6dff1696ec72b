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

    /// <summary>
    /// The id of <paramref name="step"/> of the thing <paramref name="id"/> names (an order's escrow, its licence): its
    /// first 48 bits are <paramref name="id"/>'s — a version 7 id's millisecond timestamp — and the rest is hashed, so the
    /// rows of one trade are keyed in time order like the trade itself and land on the index pages the trade's other
    /// rows are written to, instead of on a random page each.
    /// </summary>
    public static Guid From(Guid id, string step)
    {
        var derived = From(id.ToString("D"), step);
        Span<byte> bytes = stackalloc byte[16];
        derived.TryWriteBytes(bytes, bigEndian: true, out _);
        Span<byte> parent = stackalloc byte[16];
        id.TryWriteBytes(parent, bigEndian: true, out _);
        parent[..6].CopyTo(bytes);
        return new Guid(bytes, bigEndian: true);
    }
}
