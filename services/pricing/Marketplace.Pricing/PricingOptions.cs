using Marketplace.BuildingBlocks.Hosting;

namespace Marketplace.Pricing;

/// <summary>Section <c>Pricing</c>: how long a quote holds and how often expired ones are swept.</summary>
public sealed class PricingOptions : IValidatedOptions
{
    public QuoteOptions Quotes { get; set; } = new();

    public IEnumerable<string> Problems()
    {
        if (Quotes.ValidFor <= TimeSpan.Zero || Quotes.ExpiryInterval <= TimeSpan.Zero)
        {
            yield return "Quotes:ValidFor and Quotes:ExpiryInterval must be positive.";
        }
    }

    public sealed class QuoteOptions
    {
        /// <summary>How long a quote holds.</summary>
        public TimeSpan ValidFor { get; set; } = TimeSpan.FromMinutes(30);

        /// <summary>How often expired quotes are swept and announced.</summary>
        public TimeSpan ExpiryInterval { get; set; } = TimeSpan.FromSeconds(10);
    }
}
