using Marketplace.BuildingBlocks.Hosting;

namespace Marketplace.Settlement;

/// <summary>Section <c>Settlement</c>: how orders are admitted, when proceeds are released, how often the ledger reconciles.</summary>
public sealed class SettlementOptions : IValidatedOptions
{
    public OrderOptions Orders { get; set; } = new();

    public TradeOptions Trades { get; set; } = new();

    public ReconciliationOptions Reconciliation { get; set; } = new();

    public WebhookOptions Webhook { get; set; } = new();

    public IEnumerable<string> Problems()
    {
        if (Orders.MaxInProgress < 0 || Orders.MaxInProgressPerBuyer < 0)
        {
            yield return "Orders:MaxInProgress and Orders:MaxInProgressPerBuyer are 0 (off) or more.";
        }

        if (Orders.InProgressRefresh < TimeSpan.Zero)
        {
            yield return "Orders:InProgressRefresh cannot be negative.";
        }

        if (Webhook.Secret is { Length: > 0 } && Webhook.Key is null)
        {
            yield return "Webhook:Secret must be base64 of at least 32 bytes.";
        }

        if (Trades.DisputeWindow <= TimeSpan.Zero || Trades.ReleaseInterval <= TimeSpan.Zero || Reconciliation.Interval <= TimeSpan.Zero)
        {
            yield return "Trades:DisputeWindow, Trades:ReleaseInterval and Reconciliation:Interval must be positive.";
        }
    }

    public sealed class OrderOptions
    {
        /// <summary>Orders waiting on the exchange at once before new ones are refused with 503; 0 turns the limit off.</summary>
        public long MaxInProgress { get; set; } = 100;

        /// <summary>One buyer's share of those before its new orders are refused with 429; 0 turns it off.</summary>
        public long MaxInProgressPerBuyer { get; set; } = 20;

        /// <summary>At the limit, how often the count is read again.</summary>
        public TimeSpan InProgressRefresh { get; set; } = TimeSpan.FromMilliseconds(100);
    }

    public sealed class TradeOptions
    {
        /// <summary>T+N: how long a buyer may dispute, and when the holders' proceeds become withdrawable.</summary>
        public TimeSpan DisputeWindow { get; set; } = TimeSpan.FromDays(7);

        /// <summary>How often due proceeds are released.</summary>
        public TimeSpan ReleaseInterval { get; set; } = TimeSpan.FromMinutes(1);
    }

    public sealed class ReconciliationOptions
    {
        /// <summary>How often the ledger reconciles itself.</summary>
        public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);
    }

    public sealed class WebhookOptions
    {
        /// <summary>The payment provider's HMAC key, base64 of at least 32 bytes; without it the deposit webhook does not exist.</summary>
        public string? Secret { get; set; }

        /// <summary>The decoded key, or null when none (or not a usable one) is set.</summary>
        public byte[]? Key
        {
            get
            {
                if (Secret is not { Length: > 0 } secret)
                {
                    return null;
                }

                var bytes = new byte[secret.Length];
                return Convert.TryFromBase64String(secret, bytes, out var length) && length >= 32 ? bytes[..length] : null;
            }
        }
    }
}
