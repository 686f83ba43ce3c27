using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>[GaussianNoise(std)] → ModelDsl.GaussianNoise: x + N(0, std²) in training, identity in eval (5.9). Keeps the shape.</summary>
internal sealed class GaussianNoiseRule : LayerRule
{
    public override string Name => "GaussianNoise";

    public override LayerTraits Traits => LayerTraits.AffineTransparent;

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        double std = context.Number("Std");
        if (!(std >= 0))
        {
            context.Report(Descriptors.NegativeRegularization, "GaussianNoise", "std", Invariant.Short(std));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        return ImmutableArray.Create(PlannedLayer.Simple("noise", $"GaussianNoise({Invariant.Short(std)})", "global::ModelDsl.GaussianNoise",
            CallPlan.New("global::ModelDsl.GaussianNoise", CallArgument.Double(std, "std")), context.Input,
            $"adds N(0, {Invariant.Short(std)}²) noise in training; identity in eval") with { Kind = Name });
    }
}
