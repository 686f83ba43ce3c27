using System.Linq;
using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>
/// Everything the generator read from one [Model] class, as plain equatable data (no symbols, no syntax):
/// the parse step's output and the plan step's only input.
/// </summary>
/// <param name="UserMembers">What the user declared in the class (members, constructors, nested types, type parameters, and the class's own name), which generated members must not repeat.</param>
/// <param name="EnsembleConflict">What the user declared with the name of the ensemble [Ensemble] would generate (a type beside the model, a member of its containing type); null when the name is free.</param>
/// <param name="FileScopedNamespace">True from C# 10, where the generated file may use a file-scoped namespace.</param>
internal sealed record ModelDeclaration(
    TypeHierarchy Type,
    LocationInfo? Location,
    LocationInfo? ModelAttributeLocation,
    EquatableArray<long> InputShape,
    EquatableArray<BlockDeclaration> Blocks,
    EquatableArray<AttributeDeclaration> ModelOptions,
    bool HasUserForward,
    EquatableArray<DiagnosticInfo> ParseDiagnostics)
{
    public EquatableArray<UserMember> UserMembers { get; init; }

    public UserMember? EnsembleConflict { get; init; }

    /// <summary>
    /// Partial properties with ModelDsl attributes that are no valid block (MD0014, MD0076) and have no implementation:
    /// the surface of the model with errors implements them, so the compiler does not add CS9248.
    /// </summary>
    public EquatableArray<SurfaceProperty> BrokenBlockProperties { get; init; }

    public bool FileScopedNamespace { get; init; } = true;

    public ObsoleteInfo? Obsolete { get; init; }

    /// <summary>[Model(Context = T)]: the longest token sequence a model of variable length reads; null for a fixed shape.</summary>
    public long? Context { get; init; }

    /// <summary>The class's [Input] attributes in source order; empty for a model whose [Model(...)] gives its one input.</summary>
    public EquatableArray<InputDeclaration> Inputs { get; init; } = EquatableArray<InputDeclaration>.Empty;

    /// <summary>
    /// True when the model is a graph rather than a chain: it declares [Input]s, or a block reads something other than the
    /// block before it, marks an [Output] or uses a [Block] template (whose export walks the template's graph).
    /// </summary>
    public bool IsGraph => Inputs.Count > 0 || Blocks.Any(b => b.HasGraphAttributes || b.Template is not null);
}
