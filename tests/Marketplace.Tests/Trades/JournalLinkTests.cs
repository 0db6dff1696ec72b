using Marketplace.Settlement.Journal;

namespace Marketplace.Tests.Trades;

/// <summary>The verifier's buffer hash writes exactly the bytes <see cref="TradeJournal.HashOf"/> hashes.</summary>
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
    public void The_verifier_hash_agrees_with_the_link_definition(string detail, string? actor)
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
        var buffer = new byte[16];

        Assert.True(Matches(ref buffer, entry, hash));
        Assert.False(Matches(ref buffer, entry with { Detail = detail + " " }, hash));
        Assert.False(Matches(ref buffer, entry with { OrderVersion = 8 }, hash));
        Assert.False(Matches(ref buffer, entry with { RecordedAt = entry.RecordedAt.AddTicks(1) }, hash));
        Assert.False(Matches(ref buffer, entry, hash.ToUpperInvariant()));
    }

    private static readonly System.Security.Cryptography.IncrementalHash Sha =
        System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);

    private static bool Matches(ref byte[] buffer, JournalEntry e, string stored) =>
        JournalVerifier.Matches(Sha, ref buffer, e.PrevHash, e.Position, e.OrderId, e.OrderVersion, e.State, e.ActorId, e.RecordedAt, e.Detail, stored);
}
