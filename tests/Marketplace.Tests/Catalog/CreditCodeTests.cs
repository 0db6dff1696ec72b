using Marketplace.Catalog.Participants;

namespace Marketplace.Tests.Catalog;

public sealed class CreditCodeTests
{
    [Theory]
    [InlineData("91350100M000100Y43")]
    [InlineData("91110000802100433B")]
    [InlineData("91440300708461136T")]
    public void Published_codes_are_valid(string code) => Assert.True(CreditCode.IsValid(code));

    [Theory]
    [InlineData("91350100M000100Y44", "wrong check character")]
    [InlineData("91440300708461136", "17 characters")]
    [InlineData("91440300708461136TT", "19 characters")]
    [InlineData("9144030070846113IT", "I is not in the alphabet")]
    [InlineData("914403A0708461136T", "division code must be digits")]
    [InlineData("91440300708461136t", "lower case")]
    [InlineData("", "empty")]
    public void Invalid_codes_are_refused(string code, string why) => Assert.False(CreditCode.IsValid(code), why);

    [Fact]
    public void Every_single_character_change_is_caught()
    {
        const string valid = "91440300708461136T";
        const string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        for (var i = 0; i < valid.Length; i++)
        {
            foreach (var c in alphabet.Where(c => c != valid[i]))
            {
                var changed = valid[..i] + c + valid[(i + 1)..];
                Assert.False(CreditCode.IsValid(changed), changed);
            }
        }
    }
}
