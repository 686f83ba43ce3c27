using System.Collections.Immutable;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [LayerScale(InitValue)] → ModelDsl.LayerScale: γ ⊙ x, γ of shape [C, 1, 1] on images and [F] otherwise (Touvron et al.
/// 2021; ConvNeXt), starting at InitValue; γ is a scale, so weight decay treats it as a norm parameter.
/// </summary>
internal sealed class LayerScaleRule : LayerRule
{
    public override string Name => "LayerScale";

    public override ImmutableDictionary<string, object> Defaults { get; } = ImmutableDictionary<string, object>.Empty.Add("InitValue", 1e-6);

    public override LayerTraits Traits => LayerTraits.Transparent;

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        double initValue = context.Number("InitValue");
        long[] shape = context.Input.Count == 3 ? new[] { context.Input[0], 1L, 1L } : new[] { context.Input[context.Input.Count - 1] };
        return ImmutableArray.Create(new PlannedLayer("layerscale", $"LayerScale({Invariant.Short(initValue)})", "global::ModelDsl.LayerScale",
            CallPlan.New("global::ModelDsl.LayerScale", CallArgument.Shape(shape.ToEquatableArray()), CallArgument.Double(initValue), CallArgument.DType),
            EquatableArray<CallPlan>.Empty, $"scales each channel by a learned γ [{string.Join(", ", shape)}]", context.Input, shape[0], $"γ={Invariant.Short(initValue)}")
        { Kind = Name, Role = LayerRole.Normalization, Tensors = new[] { PlannedTensor.Float("weight", shape) }.ToEquatableArray() });
    }
}
