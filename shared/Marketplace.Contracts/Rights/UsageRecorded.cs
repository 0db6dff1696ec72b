namespace Marketplace.Contracts.Rights;

/// <summary>
/// What the data plane delivered under one licence in one minute (UTC, the minute's start), as counted since the last
/// report: API calls (with the records the upstream reported and the bytes sent) and file downloads. Reports are
/// batched; the same minute may be reported more than once, each report adding to the last. Its id is the report's,
/// so a consumer counts it once.
/// </summary>
public sealed record UsageRecorded(
    Guid Id,
    Guid LicenceId,
    Guid LicenseeId,
    Guid ProductId,
    DateTimeOffset Minute,
    long Calls,
    long Records,
    long Bytes,
    long Downloads,
    long DownloadedBytes,
    DateTimeOffset RecordedAt);
