using System.Collections.Immutable;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [PatchEmbedding(P, D)] → ModelDsl.PatchEmbedding: [B, C, H, W] → [B, (H/P)·(W/P), D] through a Conv2d(C, D, P, stride P),
/// C·P·P·D + D parameters, seeded from the model's generator with TorchSharp's default conv init.
/// </summary>
internal sealed class PatchEmbeddingRule : LayerRule
{
    public override string Name => "PatchEmbedding";

    public override LayerTraits Traits => LayerTraits.Weights;

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        long patch = (long)context.Number("PatchSize"), dimension = (long)context.Number("Dimension");
        string display = $"PatchEmbedding({patch}, {dimension})";
        if (!context.RequirePositive("PatchEmbedding patch size", patch) || !context.RequirePositive("PatchEmbedding dimension", dimension))
            return ImmutableArray<PlannedLayer>.Empty;
        if (context.Input.Count != 3)
        {
            context.Report(Descriptors.NeedsImage, display, Shapes.Format(context.Input));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        long channels = context.Input[0], height = context.Input[1], width = context.Input[2];
        if (height % patch != 0 || width % patch != 0)
        {
            context.Report(Descriptors.PatchesDoNotTile, display, Shapes.Format(context.Input), Invariant.Short(patch));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        long patches = checked(height / patch * (width / patch));
        long parameters = checked(channels * patch * patch * dimension + dimension);
        CallPlan construction = CallPlan.New("global::ModelDsl.PatchEmbedding", CallArgument.Long(channels), CallArgument.Long(patch), CallArgument.Long(dimension),
            CallArgument.Symbolic("generator", "generator"), CallArgument.DType);
        return ImmutableArray.Create(new PlannedLayer(
            "patches",
            display,
            "global::ModelDsl.PatchEmbedding",
            construction,
            EquatableArray<CallPlan>.Empty,
            $"{height / patch}×{width / patch} patches of {patch}×{patch}×{channels} → {patches} steps of {dimension} features; default U(±1/√{channels * patch * patch})",
            Shapes.Of(patches, dimension),
            parameters,
            $"default U(±1/√{channels * patch * patch})")
        {
            Kind = Name,
            Tensors = PlannedTensor.WeightAndBias(true, dimension, channels, patch, patch).Select(t => t.Under("proj")).ToEquatableArray(),
        });
    }
}
