namespace Marketplace.Contracts.Rights;

/// <summary>
/// A registration certificate (登记证书) was issued — first issue, a new version after a change of holders, or a
/// renewal. The certificate <paramref name="Number"/> identifies it; earlier versions of the registration are superseded.
/// </summary>
public sealed record RightsCertified(
    string Number,
    Guid RegistrationId,
    Guid ProductId,
    Guid ApplicantId,
    int CertificateVersion,
    IReadOnlyList<RightKind> Rights,
    IReadOnlyList<HolderShare> Holders,
    DateTimeOffset ValidFrom,
    DateTimeOffset ValidUntil,
    DateTimeOffset IssuedAt);
