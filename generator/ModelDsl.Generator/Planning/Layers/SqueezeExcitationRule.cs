using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [SqueezeExcitation(S, Activation, ScaleActivation)] → ModelDsl.SqueezeExcitation over [B, C, H, W] (Hu et al. 2018,
/// torchvision.ops.SqueezeExcitation): the shape is kept; fc1 (C → S) and fc2 (S → C) are 1×1 convolutions with
/// TorchSharp's default init drawn from the model's generator; their weights decay with the layer's group.
/// </summary>
internal sealed class SqueezeExcitationRule : LayerRule
{
    public override string Name => "SqueezeExcitation";

    public override ImmutableDictionary<string, object> Defaults { get; } = ImmutableDictionary<string, object>.Empty
        .Add("Activation", "ReLU").Add("ScaleActivation", "Sigmoid");

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        long squeeze = (long)context.Number("SqueezeChannels");
        string activation = context.Enum("Activation"), scale = context.Enum("ScaleActivation");
        string display = $"SqueezeExcitation({squeeze})";
        if (!context.RequirePositive("SqueezeExcitation squeeze channels", squeeze)) return ImmutableArray<PlannedLayer>.Empty;
        if (context.Input.Count != 3)
        {
            context.Report(Descriptors.NeedsImage, display, Shapes.Format(context.Input));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        long channels = context.Input[0];
        return ImmutableArray.Create(new PlannedLayer(
            "se",
            display,
            "global::ModelDsl.SqueezeExcitation",
            CallPlan.New("global::ModelDsl.SqueezeExcitation", CallArgument.Long(channels), CallArgument.Long(squeeze),
                CallArgument.Symbolic("global::ModelDsl.SqueezeActivation." + activation), CallArgument.Symbolic("global::ModelDsl.SqueezeScale." + scale),
                CallArgument.Generator, CallArgument.DType),
            EquatableArray<CallPlan>.Empty,
            $"x · {scale.ToLowerInvariant()}(fc2({activation}(fc1(mean_HW(x))))), {channels} → {squeeze} → {channels} channels",
            context.Input,
            checked(2 * channels * squeeze + squeeze + channels),
            "TorchSharp default")
        {
            Kind = Name,
            Role = LayerRole.Weights,
            Decayed = new DecayedParameters(new[] { "fc1.weight", "fc2.weight" }.ToEquatableArray(), new[] { "fc1.bias", "fc2.bias" }.ToEquatableArray(), EquatableArray<string>.Empty),
            Tensors = new[]
            {
                PlannedTensor.Float("fc1.weight", squeeze, channels, 1, 1), PlannedTensor.Float("fc1.bias", squeeze),
                PlannedTensor.Float("fc2.weight", channels, squeeze, 1, 1), PlannedTensor.Float("fc2.bias", channels),
            }.ToEquatableArray(),
        });
    }
}
