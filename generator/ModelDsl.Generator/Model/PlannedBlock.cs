using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>
/// A planned block. The class-level stack has no member (its layers are direct children); a named block becomes a
/// registered <c>Sequential</c> child named after its member (<c>Hidden</c> → <c>hidden</c>).
/// </summary>
internal sealed record PlannedBlock(
    string? MemberName,
    string? ChildName,
    bool IsProperty,
    string? Declaration,
    EquatableArray<long> InputShape,
    EquatableArray<PlannedLayer> Layers);
