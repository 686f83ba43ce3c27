using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>
/// A [Block] template as read from its class: its fully qualified name, its parameters (const fields) with the values
/// that let it compile, its named blocks (layer arguments that name a parameter carry the expression), and what its
/// parse found wrong. Read again at every use, so an edit of the template reaches every model that uses it.
/// </summary>
internal sealed record TemplateDeclaration(
    TypeHierarchy Type,
    string Name,
    string FullName,
    EquatableArray<TemplateParameter> Parameters,
    EquatableArray<BlockDeclaration> Blocks,
    LocationInfo? Location,
    EquatableArray<DiagnosticInfo> ParseDiagnostics)
{
    /// <summary>Layers declared on the template class itself (not allowed: a template's layers live on named blocks).</summary>
    public bool HasClassLayers { get; init; }

    /// <summary>Where the first of those layers is, when locations are read.</summary>
    public LocationInfo? ClassLayersLocation { get; init; }
}

/// <summary>One parameter of a template: a <c>const</c> field's name, whether it is an integer, and its declared value.</summary>
internal sealed record TemplateParameter(string Name, bool IsInteger, double Declared);

/// <summary>One name/value pair of a use's [With(...)]; <see cref="Value"/> is null when the value is no number.</summary>
internal sealed record TemplateArgument(string Name, double? Value, bool IsInteger, LocationInfo? Location);

/// <summary>A template use, decided: the template's type and its blocks in order, each with how many of the use's layers it holds.</summary>
internal sealed record TemplateUsePlan(string TemplateType, EquatableArray<TemplatePart> Parts);

/// <summary>One block of a template use: its child name and layer count (and, for a residual block, its units).</summary>
internal sealed record TemplatePart(string ChildName, int Layers)
{
    public ResidualPlan? Residual { get; init; }

    /// <summary>What the part reads when it is not the part before it ("concatenate(branch1, branch3)"), with the joined shape; null otherwise.</summary>
    public string? Reads { get; init; }

    /// <summary>The shape the part receives.</summary>
    public EquatableArray<long> InputShape { get; init; } = EquatableArray<long>.Empty;
}
