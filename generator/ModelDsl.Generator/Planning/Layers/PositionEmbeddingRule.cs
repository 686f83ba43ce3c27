using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>[PositionEmbedding] → ModelDsl.PositionEmbedding: adds a learned [1, T, D] (ViT's pos_embedding), N(0, 0.02²) from the model's generator.</summary>
internal sealed class PositionEmbeddingRule : LayerRule
{
    public override string Name => "PositionEmbedding";

    public override LayerTraits Traits { get; } = LayerTraits.Affine with { KeepsSteps = true };

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        if (context.Input.Count != 2)
        {
            context.Report(Descriptors.NeedsSequence, Name, Shapes.Format(context.Input));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        long steps = context.Input[0], dimension = context.Input[1];
        return ImmutableArray.Create(new PlannedLayer("posembedding", Name, "global::ModelDsl.PositionEmbedding",
            CallPlan.New("global::ModelDsl.PositionEmbedding", CallArgument.Long(steps), CallArgument.Long(dimension), CallArgument.Generator, CallArgument.DType),
            EquatableArray<CallPlan>.Empty, $"adds a learned [1, {steps}, {dimension}] embedding", context.Input, checked(steps * dimension), "N(0, 0.02²)")
        { Kind = Name, Tensors = new[] { PlannedTensor.Float("pos_embedding", 1, steps, dimension) }.ToEquatableArray() });
    }
}
