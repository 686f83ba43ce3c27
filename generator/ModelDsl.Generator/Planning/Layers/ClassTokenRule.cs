using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>[ClassToken] → ModelDsl.ClassToken: [T, D] → [T + 1, D], a learned token in front (ViT), class_token [1, 1, D] at zero.</summary>
internal sealed class ClassTokenRule : LayerRule
{
    public override string Name => "ClassToken";

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        if (context.Input.Count != 2)
        {
            context.Report(Descriptors.NeedsSequence, Name, Shapes.Format(context.Input));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        long steps = context.Input[0], dimension = context.Input[1];
        return ImmutableArray.Create(new PlannedLayer("classtoken", Name, "global::ModelDsl.ClassToken",
            CallPlan.New("global::ModelDsl.ClassToken", CallArgument.Long(dimension), CallArgument.DType), EquatableArray<CallPlan>.Empty,
            $"a learned token before the {steps} steps", Shapes.Of(checked(steps + 1), dimension), dimension, "zeros")
        { Kind = Name, Tensors = new[] { PlannedTensor.Float("class_token", 1, 1, dimension) }.ToEquatableArray() });
    }
}
