using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Planning;

/// <summary>
/// What a layer rule decides for one module before the planner names it. <see cref="BaseName"/> becomes the child
/// name (numbered when a container holds several: dense1, dense2).
/// </summary>
internal sealed record LayerPart(
    string BaseName,
    string Display,
    string ModuleType,
    string Construction,
    EquatableArray<string> InitStatements,
    string Comment,
    EquatableArray<long> OutputShape,
    long Parameters,
    string InitSummary)
{
    /// <summary>A parameter-free module that keeps the shape (activations, dropout).</summary>
    public static LayerPart Simple(string baseName, string display, string moduleType, string construction, EquatableArray<long> shape, string comment)
        => new(baseName, display, moduleType, construction, EquatableArray<string>.Empty, comment, shape, 0, "");
}
