using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>
/// A named block: a partial property or a field carrying its own layer attributes. <see cref="MemberName"/> is
/// null for the class-level stack. <see cref="Declaration"/> is the partial property header to implement.
/// </summary>
internal sealed record BlockDeclaration(
    string? MemberName,
    bool IsProperty,
    string? Declaration,
    EquatableArray<AttributeDeclaration> Layers,
    LocationInfo? Location);
