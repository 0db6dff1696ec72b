using Marketplace.Settlement.Journal;

namespace Marketplace.Tests.Trades;

/// <summary>
/// A link's hash is the one the journal has always written (the reference below is the original definition, kept here
/// as the specification: every stored chain was hashed with it), and the verifier's buffer hash agrees with it.
/// </summary>
public sealed class JournalLinkTests
{
    public static TheoryData<string, string?> Links() => new()
    {
        { "{}", null },
        { """{"amount":100001,"purpose":"负载测试 — 数据要素","emoji":"🙂"}""", "0195f0a0-0000-7000-8000-000000000001" },
        { new string('x', 10_000), "00000000-0000-0000-0000-000000000000" },
        { "line\nbreak\r\ttab", null },
    };

    [Theory]
    [MemberData(nameof(Links))]
    public void The_link_hash_is_unchanged_and_the_verifier_agrees_with_it(string detail, string? actor)
    {
        var entry = new JournalEntry
        {
            Position = 123_456_789_012,
            OrderId = Guid.CreateVersion7(),
            OrderVersion = 7,
            State = "Completed",
            Detail = detail,
            ActorId = actor is null ? null : Guid.Parse(actor),
            RecordedAt = new DateTimeOffset(2026, 12, 2, 9, 30, 15, TimeSpan.FromHours(8)).AddTicks(1234567),
            PrevHash = new string('a', 64),
        };
        var hash = TradeJournal.HashOf(entry);
        Assert.Equal(Reference(entry), hash);
        var buffer = new byte[16];

        Assert.True(Matches(ref buffer, entry, hash));
        Assert.False(Matches(ref buffer, entry with { Detail = detail + " " }, hash));
        Assert.False(Matches(ref buffer, entry with { OrderVersion = 8 }, hash));
        Assert.False(Matches(ref buffer, entry with { RecordedAt = entry.RecordedAt.AddTicks(1) }, hash));
        Assert.False(Matches(ref buffer, entry, hash.ToUpperInvariant()));
    }

    private static string Reference(JournalEntry e) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes(string.Join('\n',
            e.PrevHash,
            e.Position.ToString(System.Globalization.CultureInfo.InvariantCulture),
            e.OrderId.ToString("D"),
            e.OrderVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
            e.State,
            e.ActorId?.ToString("D") ?? "-",
            e.RecordedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            e.Detail))));

    private static bool Matches(ref byte[] buffer, JournalEntry e, string stored)
    {
        var length = TradeJournal.WriteLink(
            ref buffer, Utf8(e.PrevHash), e.Position, e.OrderId, e.OrderVersion, e.State, e.ActorId, e.RecordedAt, Utf8(e.Detail));
        return JournalVerifier.Matches(buffer.AsSpan(0, length), Utf8(stored));
    }

    private static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);
}
