using FluentValidation;
using Marketplace.Contracts.Rights;

namespace Marketplace.Rights.Registrations;

/// <summary>
/// An application to register rights over one of the applicant's listed products: which rights, the holders and
/// their shares, and the evidence — the product's manifest fingerprint (存证) and the source and its lawful basis.
/// </summary>
public sealed record RegistrationApplication(
    Guid? ProductId,
    IReadOnlyList<RightKind>? Rights,
    IReadOnlyList<HolderShare>? Holders,
    string? ManifestSha256,
    string? SourceDescription,
    string? LawfulBasis);

internal sealed class RegistrationApplicationValidator : AbstractValidator<RegistrationApplication>
{
    public RegistrationApplicationValidator()
    {
        RuleFor(a => a.ProductId).NotNull().NotEqual(Guid.Empty);
        RuleFor(a => a.Rights).NotEmpty().Must(r => r is null || r.Distinct().Count() == r.Count).WithMessage("Rights must not repeat.");
        RuleForEach(a => a.Rights).IsInEnum();
        RuleFor(a => a.Holders).NotEmpty().SetValidator(new HoldersValidator()!);
        RuleFor(a => a.ManifestSha256).NotEmpty().Matches("^[0-9a-f]{64}$").WithMessage("A SHA-256 in lower-case hex (64 characters).");
        RuleFor(a => a.SourceDescription).NotEmpty().MaximumLength(2000);
        RuleFor(a => a.LawfulBasis).NotEmpty().MaximumLength(2000);
    }
}

/// <summary>1 to 20 distinct holders, each share 1–10,000 basis points, all shares summing to exactly 10,000.</summary>
internal sealed class HoldersValidator : AbstractValidator<IReadOnlyList<HolderShare>>
{
    public HoldersValidator()
    {
        RuleFor(h => h).Must(h => h.Count <= 20).WithMessage("At most 20 holders.")
            .Must(h => h.Select(x => x.HolderId).Distinct().Count() == h.Count).WithMessage("A holder may appear once.")
            .Must(h => h.All(x => x.ShareBps is >= 1 and <= 10_000) && h.Sum(x => (long)x.ShareBps) == 10_000)
            .WithMessage("Shares are 1 to 10,000 basis points each and sum to exactly 10,000.");
        RuleForEach(h => h).ChildRules(holder => holder.RuleFor(x => x.HolderId).NotEqual(Guid.Empty));
    }
}
