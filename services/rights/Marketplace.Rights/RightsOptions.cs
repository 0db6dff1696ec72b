using Marketplace.BuildingBlocks.Hosting;

namespace Marketplace.Rights;

/// <summary>
/// Section <c>Rights</c>: the public notice, certificates' term, the provider's approval window and how often the
/// clock runs. (<c>Rights:Delivery</c> is <see cref="Delivery.DeliverySettings"/>; the signing key is the signer's.)
/// </summary>
public sealed class RightsOptions : IValidatedOptions
{
    public NoticeOptions Notice { get; set; } = new();

    public CertificateOptions Certificates { get; set; } = new();

    public AccessOptions Access { get; set; } = new();

    public ClockOptions Clock { get; set; } = new();

    public IEnumerable<string> Problems()
    {
        if (Notice.WorkingDays is < 1 or > 60)
        {
            yield return "Notice:WorkingDays is 1 to 60.";
        }

        if (Certificates.TermYears is < 1 or > 20)
        {
            yield return "Certificates:TermYears is 1 to 20.";
        }

        if (Access.ApprovalWindow <= TimeSpan.Zero || Clock.Interval <= TimeSpan.Zero)
        {
            yield return "Access:ApprovalWindow and Clock:Interval must be positive.";
        }
    }

    public sealed class NoticeOptions
    {
        /// <summary>Length of the public notice, in working days by the operators' calendar (UTC+8).</summary>
        public int WorkingDays { get; set; } = 10;
    }

    public sealed class CertificateOptions
    {
        /// <summary>A certificate's term in years.</summary>
        public int TermYears { get; set; } = 3;
    }

    public sealed class AccessOptions
    {
        /// <summary>How long a provider has to approve an access request.</summary>
        public TimeSpan ApprovalWindow { get; set; } = TimeSpan.FromHours(72);
    }

    public sealed class ClockOptions
    {
        /// <summary>How often notices, expiries and approval deadlines are checked.</summary>
        public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);
    }
}
