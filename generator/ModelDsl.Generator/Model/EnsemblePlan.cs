using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>
/// The generated <c>{Model}Ensemble</c>, decided: member count, aggregation, seed, and — when vectorized — the layer
/// description (C# expressions for ModelDsl.VectorizedLayer) the stacked form runs.
/// </summary>
internal sealed record EnsemblePlan(
    string TypeName,
    int Members,
    string Aggregation,
    string MemberOutput,
    string? Seed,
    EquatableArray<double> Weights,
    bool Vectorized,
    EquatableArray<string> VectorizedLayers);
