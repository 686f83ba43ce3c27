using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>
/// A named block: a partial property or a field carrying its own layer attributes. <see cref="MemberName"/> is
/// null for the class-level stack. <see cref="Property"/> describes the partial property to implement (null for a
/// field); <see cref="IsNullable"/> is true when the member's type is annotated (<c>Sequential?</c>).
/// </summary>
internal sealed record BlockDeclaration(
    string? MemberName,
    PartialPropertyInfo? Property,
    bool IsNullable,
    EquatableArray<AttributeDeclaration> Layers,
    LocationInfo? Location)
{
    public bool IsProperty => Property is not null;

    /// <summary>The block's [Residual] attribute, or null for a plain block.</summary>
    public AttributeDeclaration? Residual { get; init; }

    /// <summary>What the block reads ([From] or a merge); null for the block declared before it (a chain).</summary>
    public NodeInput? Input { get; init; }

    /// <summary>True when the block carries [Output].</summary>
    public bool IsOutput { get; init; }

    /// <summary>Where its [Output] is written, when locations are read.</summary>
    public LocationInfo? OutputLocation { get; init; }

    /// <summary>The [Block] template this member uses (its type), or null for a block of layers.</summary>
    public TemplateDeclaration? Template { get; init; }

    /// <summary>A template use's [With(...)] pairs, in order.</summary>
    public EquatableArray<TemplateArgument> With { get; init; } = EquatableArray<TemplateArgument>.Empty;

    /// <summary>Where the [With(...)] is (the member when there is none), for MD0098.</summary>
    public LocationInfo? WithLocation { get; init; }

    /// <summary>True when the block says what it reads or that it is an output, which makes the model a graph.</summary>
    public bool HasGraphAttributes => Input is not null || IsOutput;
}

/// <summary>
/// The partial property a block's implementation must repeat: its accessibility (C# keywords), its other modifiers in
/// source order (<c>virtual</c>, <c>new</c>, <c>sealed</c>, …) and its type as a fully qualified name.
/// </summary>
internal sealed record PartialPropertyInfo(string Accessibility, EquatableArray<string> Modifiers, string Type);
