using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>[GaussianNoise(std)] → ModelDsl.GaussianNoise: x + N(0, std²) in training, identity in eval (5.9). Keeps the shape.</summary>
internal sealed class GaussianNoiseRule : LayerRule
{
    public override string Name => "GaussianNoise";

    public override ImmutableArray<LayerPart> Plan(LayerContext context)
    {
        double std = context.Layer.Number("Std", 0);
        if (!(std >= 0))
        {
            context.Report(Descriptors.NegativeRegularization, "GaussianNoise", "std", Invariant.Short(std));
            return ImmutableArray<LayerPart>.Empty;
        }
        return ImmutableArray.Create(LayerPart.Simple("noise", $"GaussianNoise({Invariant.Short(std)})", "global::ModelDsl.GaussianNoise",
            $"new global::ModelDsl.GaussianNoise(std: {Invariant.Double(std)})", context.Input,
            $"adds N(0, {Invariant.Short(std)}²) noise in training; identity in eval"));
    }
}
