using System.Buffers.Binary;
using Microsoft.AspNetCore.WebUtilities;

namespace Marketplace.BuildingBlocks.Http;

/// <summary>One page of a keyset-paginated list; <see cref="Next"/> is the opaque cursor for the following page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);

/// <summary>Opaque keyset cursors over a table's sequential <c>seq</c> column.</summary>
public static class Cursor
{
    public const int MaxPageSize = 100;
    public const int DefaultPageSize = 50;

    public static string Encode(long seq)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, seq);
        return WebEncoders.Base64UrlEncode(bytes);
    }

    public static bool TryDecode(string? cursor, out long seq)
    {
        seq = 0;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }

        try
        {
            var bytes = WebEncoders.Base64UrlDecode(cursor);
            if (bytes.Length != 8)
            {
                return false;
            }

            seq = BinaryPrimitives.ReadInt64BigEndian(bytes);
            return seq >= 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Builds the page from rows fetched with one extra row (take + 1), which tells whether a next page exists.</summary>
    public static Page<TOut> ToPage<TRow, TOut>(IReadOnlyList<TRow> rows, int take, Func<TRow, long> seq, Func<TRow, TOut> map)
    {
        var hasMore = rows.Count > take;
        var items = rows.Take(take).Select(map).ToList();
        return new Page<TOut>(items, hasMore ? Encode(seq(rows[take - 1])) : null);
    }
}
