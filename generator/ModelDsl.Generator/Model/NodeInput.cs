using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>How a graph node joins what it reads: one source as is, or a merge of several (Keras's merge layers).</summary>
internal enum MergeKind { From, Concatenate, Add, Multiply, Average }

/// <summary>
/// What a named block reads, as declared: <c>[From("stem")]</c> or a merge (<c>[Concatenate(nameof(A), nameof(B))]</c>),
/// with the attribute's location and each source's own (the argument), where the diagnostics about it point.
/// </summary>
internal sealed record NodeInput(MergeKind Merge, EquatableArray<string> Sources, LocationInfo? Location, EquatableArray<SourceLocation> SourceLocations)
{
    /// <summary>The attribute as written: From, Concatenate, Add, Multiply, Average.</summary>
    public string AttributeName => Merge.ToString();

    /// <summary>Where source <paramref name="index"/> was written (the attribute when the argument has no location of its own).</summary>
    public LocationInfo? SourceLocation(int index) => index < SourceLocations.Count && SourceLocations[index].At is { } at ? at : Location;
}

/// <summary>Where one source of a [From] or merge was written (null when locations are not read).</summary>
internal sealed record SourceLocation(LocationInfo? At);

/// <summary>One <c>[Input(name, shape…)]</c> of a model with several inputs.</summary>
internal sealed record InputDeclaration(string Name, EquatableArray<long> Shape, LocationInfo? Location);
