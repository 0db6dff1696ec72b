using Marketplace.Catalog.Participants;

namespace Marketplace.Demo;

/// <summary>Fresh unified social credit codes (GB 32100) for the organisations the demo, the load driver and the tests admit: random bodies, the catalog's own check character.</summary>
public static class CreditCodes
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    /// <summary>A code registered in <paramref name="region"/> (six digits, e.g. Shanghai 310000), never the same twice in practice.</summary>
    public static string New(string region = "310000")
    {
        var body = "91" + region + string.Concat(Enumerable.Range(0, 9).Select(_ => Alphabet[Random.Shared.Next(Alphabet.Length)]));
        return body + CreditCode.CheckCharacter(body);
    }
}
