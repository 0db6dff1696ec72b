using System.Globalization;
using System.Text;

namespace Marketplace.Catalog.Search;

/// <summary>
/// Tokenisation for SQLite FTS5, written by hand because no tokenizer FTS5 ships splits Chinese usefully: unicode61
/// keeps a run of CJK characters as one token, and trigram cannot match two-character words such as 数据 or 交通.
/// So a CJK run is indexed as its overlapping bigrams (长三角 → 长三 三角), a lone CJK character as itself, and
/// everything else as words that FTS5's porter stemmer reduces (counts → count). A query is turned the same way:
/// a CJK run becomes a phrase of its bigrams — so 交通流量 must appear as written, and 数据 never matches 数…据 apart —
/// words become stemmed terms, a single CJK character a prefix of the bigrams; all parts must match (AND).
/// Every term is quoted, so nothing a user types is FTS5 syntax.
/// </summary>
public static class SearchText
{
    public static string ForIndex(params string?[] texts)
    {
        var output = new StringBuilder();
        foreach (var text in texts)
        {
            foreach (var (token, cjk) in Runs(text ?? ""))
            {
                foreach (var term in cjk ? Bigrams(token) : [token])
                {
                    output.Append(term).Append(' ');
                }
            }
        }

        return output.ToString().TrimEnd();
    }

    /// <summary>The FTS5 MATCH expression for a user's query, or null when it has nothing searchable.</summary>
    public static string? ForQuery(string query)
    {
        var parts = new List<string>();
        foreach (var (token, cjk) in Runs(query))
        {
            if (!cjk)
            {
                parts.Add(Quote(token));
            }
            else if (token.Length == 1)
            {
                parts.Add(Quote(token) + " *");
            }
            else
            {
                parts.Add(Quote(string.Join(' ', Bigrams(token))));
            }
        }

        return parts.Count == 0 ? null : string.Join(" AND ", parts.Distinct());
    }

    /// <summary>A MATCH expression (from <see cref="ForQuery"/>) limited to the title column.</summary>
    public static string InTitle(string match) => "title : (" + match + ")";

    /// <summary>
    /// The CONTAINSTABLE condition for SQL Server, whose Chinese word breaker splits CJK text itself: each CJK run is
    /// a quoted phrase, each word matches its inflections; all must match.
    /// </summary>
    public static string? ForSqlServer(string query)
    {
        var parts = Runs(query).Select(r => r.Cjk ? Quote(r.Token) : $"FORMSOF(INFLECTIONAL, {Quote(r.Token)})").Distinct().ToList();
        return parts.Count == 0 ? null : string.Join(" AND ", parts);
    }

    private static string Quote(string term) => "\"" + term + "\"";

    private static IEnumerable<string> Bigrams(string run) =>
        run.Length == 1 ? [run] : Enumerable.Range(0, run.Length - 1).Select(i => run.Substring(i, 2));

    /// <summary>Splits text into runs of CJK characters and runs of other letters or digits (lower-cased).</summary>
    private static IEnumerable<(string Token, bool Cjk)> Runs(string text)
    {
        var current = new StringBuilder();
        bool? currentCjk = null;
        foreach (var rune in text.EnumerateRunes())
        {
            var cjk = IsCjk(rune);
            var wordy = cjk || Rune.IsLetterOrDigit(rune);
            if (!wordy || (currentCjk is { } c && c != cjk))
            {
                if (current.Length > 0)
                {
                    yield return (current.ToString(), currentCjk!.Value);
                    current.Clear();
                }

                currentCjk = null;
                if (!wordy)
                {
                    continue;
                }
            }

            currentCjk = cjk;
            current.Append(cjk ? rune.ToString() : Rune.ToLowerInvariant(rune).ToString());
        }

        if (current.Length > 0)
        {
            yield return (current.ToString(), currentCjk!.Value);
        }
    }

    private static bool IsCjk(Rune rune) =>
        rune.Value is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF) or (>= 0xF900 and <= 0xFAFF)
        || Rune.GetUnicodeCategory(rune) == UnicodeCategory.OtherLetter && rune.Value is >= 0x3040 and <= 0x30FF;
}
