using Marketplace.Catalog.Participants;

namespace Marketplace.Tests.Support;

/// <summary>Fresh valid unified social credit codes, so tests never collide on the unique code.</summary>
public static class Codes
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    public static string NewCreditCode()
    {
        var body = "91" + "440300" + string.Concat(Enumerable.Range(0, 9).Select(_ => Alphabet[Random.Shared.Next(Alphabet.Length)]));
        return body + CreditCode.CheckCharacter(body);
    }
}
