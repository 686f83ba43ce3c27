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

    /// <summary>
    /// Set when the template was met again inside itself (<c>Outer.Inner → Middle.Back → Outer</c>): reading it once more
    /// would never end, so its parameters and blocks are left unread and every use of it here is MD0098. Null otherwise.
    /// </summary>
    public string? Cycle { get; init; }
}

/// <summary>One parameter of a template: a <c>const</c> field's name, whether it is an integer, and its declared value.</summary>
internal sealed record TemplateParameter(string Name, bool IsInteger, double Declared);

/// <summary>One name/value pair of a use's [With(...)]; <see cref="Value"/> is null when the value is no number.</summary>
internal sealed record TemplateArgument(string Name, double? Value, bool IsInteger, LocationInfo? Location)
{
    /// <summary>
    /// In a template's use of another template, the value's source text when it names a parameter of the enclosing
    /// template (<c>Width * 4</c>): each use of the enclosing template evaluates it with its own values. Null for a plain number.
    /// </summary>
    public string? Expression { get; init; }
}

/// <summary>
/// A template use, decided: the template's type and its blocks in order, each with how many of the use's layers it holds
/// (a block that uses another template holds that use's layers, split again by its own parts).
/// </summary>
internal sealed record TemplateUsePlan(string TemplateType, EquatableArray<TemplatePart> Parts);

/// <summary>One block of a template use: its child name and layer count (and, for a residual block, its units).</summary>
internal sealed record TemplatePart(string ChildName, int Layers)
{
    public ResidualPlan? Residual { get; init; }

    /// <summary>What the part reads when it is not the part before it ("concatenate(branch1, branch3)"), with the joined shape; null otherwise.</summary>
    public string? Reads { get; init; }

    /// <summary>The shape the part receives.</summary>
    public EquatableArray<long> InputShape { get; init; } = EquatableArray<long>.Empty;

    /// <summary>For a part that is itself a use of another template: that use, whose parts split the part's layers; null otherwise.</summary>
    public TemplateUsePlan? Template { get; init; }
}
