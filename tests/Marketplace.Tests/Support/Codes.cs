namespace Marketplace.Tests.Support;

/// <summary>Fresh valid unified social credit codes, so tests never collide on the unique code.</summary>
public static class Codes
{
    public static string NewCreditCode() => Marketplace.Demo.CreditCodes.New("440300");
}
