using System.Text.Json;
using FluentValidation;

namespace Marketplace.Catalog.Products;

/// <summary>The operator's review, item by item; a failed item says why.</summary>
public sealed record ReviewChecklist(
    ReviewItem? SourceLegality,
    ReviewItem? Classification,
    ReviewItem? PersonalInformation,
    ReviewItem? DescriptionAccuracy,
    ReviewItem? DeliveryMethod)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<(string Item, ReviewItem? Result)> Items =>
    [
        ("sourceLegality", SourceLegality),
        ("classification", Classification),
        ("personalInformation", PersonalInformation),
        ("descriptionAccuracy", DescriptionAccuracy),
        ("deliveryMethod", DeliveryMethod),
    ];

    public bool AllPassed => Items.All(i => i.Result?.Passed == true);

    public string ToJson() => JsonSerializer.Serialize(this, ProductContent.Json);
}

public sealed record ReviewItem(bool? Passed, string? Reason);

public sealed record ReviewDecision(ReviewChecklist? Checklist);

internal sealed class ReviewDecisionValidator : AbstractValidator<ReviewDecision>
{
    public ReviewDecisionValidator()
    {
        RuleFor(d => d.Checklist).NotNull();
        When(d => d.Checklist is not null, () =>
        {
            RuleFor(d => d.Checklist!.SourceLegality).NotNull().WithMessage("Every checklist item needs a decision.").SetValidator(new ItemValidator()!);
            RuleFor(d => d.Checklist!.Classification).NotNull().WithMessage("Every checklist item needs a decision.").SetValidator(new ItemValidator()!);
            RuleFor(d => d.Checklist!.PersonalInformation).NotNull().WithMessage("Every checklist item needs a decision.").SetValidator(new ItemValidator()!);
            RuleFor(d => d.Checklist!.DescriptionAccuracy).NotNull().WithMessage("Every checklist item needs a decision.").SetValidator(new ItemValidator()!);
            RuleFor(d => d.Checklist!.DeliveryMethod).NotNull().WithMessage("Every checklist item needs a decision.").SetValidator(new ItemValidator()!);
        });
    }

    private sealed class ItemValidator : AbstractValidator<ReviewItem>
    {
        public ItemValidator()
        {
            RuleFor(i => i.Passed).NotNull();
            RuleFor(i => i.Reason).NotEmpty().WithMessage("A failed item needs its reason.").When(i => i.Passed == false);
            RuleFor(i => i.Reason).MaximumLength(1000);
        }
    }
}
