namespace Marketplace.Tests.Support;

/// <summary>
/// How many rounds each race test runs (tests marked <c>[Trait("Category", "Race")]</c>): a few in the suite, and as
/// many as <c>RACE_ROUNDS</c> says in the long run (≥ 1,000; the command is in tests/Marketplace.Tests/Reliability/RELIABILITY.md).
/// </summary>
public static class Races
{
    public const string Category = "Race";

    public static int Rounds(int inSuite) =>
        int.TryParse(Environment.GetEnvironmentVariable("RACE_ROUNDS"), out var rounds) && rounds > 0 ? rounds : inSuite;
}
