using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>
/// Everything the generator read from one [Model] class, as plain equatable data (no symbols, no syntax):
/// the parse step's output and the plan step's only input.
/// </summary>
/// <param name="UserMembers">Names the user declared in the class (members and nested types, and the class's own name), which generated members must not repeat.</param>
/// <param name="EnsembleNameTaken">True when a user type already has the name of the ensemble [Ensemble] would generate.</param>
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
    public EquatableArray<string> UserMembers { get; init; }

    public bool EnsembleNameTaken { get; init; }

    public bool FileScopedNamespace { get; init; } = true;

    public ObsoleteInfo? Obsolete { get; init; }
}
