using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [ChannelDense(units)] → ModelDsl.ChannelDense: nn.Linear on each pixel's channels, [C, H, W] → [units, H, W], weight
/// [units, C] (ConvNeXt's pointwise layers); TorchSharp's Linear init from the model's generator; decays with its group.
/// </summary>
internal sealed class ChannelDenseRule : LayerRule
{
    public override string Name => "ChannelDense";

    public override LayerTraits Traits => LayerTraits.PlainWeights;

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        long units = (long)context.Number("Units");
        string display = $"ChannelDense({units})";
        if (!context.RequirePositive("ChannelDense units", units)) return ImmutableArray<PlannedLayer>.Empty;
        if (context.Input.Count != 3)
        {
            context.Report(Descriptors.NeedsImage, display, Shapes.Format(context.Input));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        long channels = context.Input[0];
        return ImmutableArray.Create(new PlannedLayer("channeldense", display, "global::ModelDsl.ChannelDense",
            CallPlan.New("global::ModelDsl.ChannelDense", CallArgument.Long(channels), CallArgument.Long(units), CallArgument.Generator, CallArgument.DType),
            EquatableArray<CallPlan>.Empty, $"{channels} → {units} channels at each pixel", Shapes.Of(units, context.Input[1], context.Input[2]),
            checked(units * channels + units), $"default U(±1/√{channels})")
        { Kind = Name, Role = LayerRole.Weights, Tensors = PlannedTensor.WeightAndBias(true, units, channels) });
    }
}
