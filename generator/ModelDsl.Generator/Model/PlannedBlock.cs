using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>
/// A planned block. The class-level stack has no member (its layers are direct children); a named block becomes a
/// registered <c>Sequential</c> child named after its member (<c>Hidden</c> → <c>hidden</c>). <see cref="Property"/>
/// is the partial property to implement (null for a field or the class-level stack).
/// </summary>
internal sealed record PlannedBlock(
    string? MemberName,
    string? ChildName,
    PartialPropertyInfo? Property,
    bool IsNullable,
    EquatableArray<long> InputShape,
    EquatableArray<PlannedLayer> Layers)
{
    public bool IsProperty => Property is not null;

    /// <summary>For a [Residual] block: its units, which split <see cref="Layers"/> into branch, shortcut and activation; null for a plain block.</summary>
    public ResidualPlan? Residual { get; init; }

    /// <summary>For a use of a [Block] template: the template and how its blocks split <see cref="Layers"/>; null otherwise.</summary>
    public TemplateUsePlan? Template { get; init; }
}
