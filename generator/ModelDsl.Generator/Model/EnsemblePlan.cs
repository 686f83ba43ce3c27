using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Model;

/// <summary>
/// The generated <c>{Model}Ensemble</c>, decided: member count, aggregation, what members output, seed, and — when
/// vectorized — the layers the stacked form runs (ModelDsl.VectorizedLayer), as data.
/// </summary>
internal sealed record EnsemblePlan(
    string TypeName,
    int Members,
    string Aggregation,
    OutputKind MemberOutput,
    long? Seed,
    EquatableArray<double> Weights,
    bool Vectorized,
    EquatableArray<VectorizedLayerPlan> VectorizedLayers);
