using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>
/// Everything the generator read from one [Model] class, as plain equatable data (no symbols, no syntax):
/// the parse step's output and the plan step's only input.
/// </summary>
internal sealed record ModelDeclaration(
    TypeHierarchy Type,
    LocationInfo? Location,
    LocationInfo? ModelAttributeLocation,
    EquatableArray<long> InputShape,
    EquatableArray<BlockDeclaration> Blocks,
    EquatableArray<AttributeDeclaration> ModelOptions,
    bool HasUserForward,
    EquatableArray<DiagnosticInfo> ParseDiagnostics);
