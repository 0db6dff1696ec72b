namespace Marketplace.Rights.Delivery;

/// <summary>Section <c>Rights:Delivery</c>: where files are kept and how delivery is bounded.</summary>
public sealed class DeliverySettings
{
    /// <summary><c>FileSystem</c> (default: under <see cref="Directory"/>) or <c>S3</c> (<see cref="Blobs.S3StoreSettings"/>).</summary>
    public string Store { get; set; } = "FileSystem";

    /// <summary>The file system store's folder; by default <c>blobs</c> beside the SQLite files.</summary>
    public string? Directory { get; set; }

    public Blobs.S3StoreSettings S3 { get; set; } = new();

    /// <summary>The largest file an upload may carry (2 GiB).</summary>
    public long MaxFileBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>How many files one upload (one manifest) may carry.</summary>
    public int MaxFilesPerUpload { get; set; } = 1_000;

    /// <summary>How long a signed download link works (minutes: a link is a capability).</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The link-signing keys by id (base64, at least 32 bytes each); old ids stay while their links may live.</summary>
    public Dictionary<string, string> LinkKeys { get; set; } = [];

    /// <summary>The id in <see cref="LinkKeys"/> new links are signed with.</summary>
    public string? LinkKeyId { get; set; }

    /// <summary>
    /// How long one instance trusts a delivery decision (licence, buyer, product, rules) before reading them again: a
    /// revocation, suspension, expiry or refund on any instance cuts access within this time (at most 1 s).
    /// </summary>
    public TimeSpan DecisionTtl { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How many unrevoked, unexpired API keys a licence may have at once.</summary>
    public int MaxKeysPerLicence { get; set; } = 5;

    /// <summary>Requests per second one licence may send through the data plane.</summary>
    public int RequestsPerSecond { get; set; } = 50;

    /// <summary>How long the data plane waits for the provider's upstream before answering 504.</summary>
    public TimeSpan UpstreamTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often downloads and API use are written and published as usage.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    public void ThrowIfInvalid()
    {
        var problems = new List<string>();
        if (Store is not ("FileSystem" or "S3"))
        {
            problems.Add($"Rights:Delivery:Store must be FileSystem or S3, not {Store}.");
        }

        if (MaxFileBytes < 1 || (Store == "S3" && MaxFileBytes > 5L * 1024 * 1024 * 1024))
        {
            problems.Add("Rights:Delivery:MaxFileBytes must be at least 1 (at most 5 GiB on S3: one PUT).");
        }

        if (DecisionTtl < TimeSpan.Zero || DecisionTtl > TimeSpan.FromSeconds(1))
        {
            problems.Add("Rights:Delivery:DecisionTtl must be 0 to 1 second: revocation must cut access within it.");
        }

        if (LinkLifetime <= TimeSpan.Zero || LinkLifetime > TimeSpan.FromHours(24))
        {
            problems.Add("Rights:Delivery:LinkLifetime must be more than 0 and at most 24 hours.");
        }

        if (MaxFilesPerUpload < 1 || MaxKeysPerLicence < 1 || RequestsPerSecond < 1 || UpstreamTimeout <= TimeSpan.Zero || FlushInterval <= TimeSpan.Zero)
        {
            problems.Add("Rights:Delivery: MaxFilesPerUpload, MaxKeysPerLicence, RequestsPerSecond, UpstreamTimeout and FlushInterval must be positive.");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(' ', problems));
        }
    }
}
