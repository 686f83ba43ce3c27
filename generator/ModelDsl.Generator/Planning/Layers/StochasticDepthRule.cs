using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [StochasticDepth(p, Mode)] → ModelDsl.StochasticDepth (Huang et al. 2016; torchvision.ops.StochasticDepth): zeroes a
/// sample's (or the batch's) input with probability p in training and scales survivors by 1/(1 − p); identity in eval.
/// 0 ≤ p &lt; 1 (MD0004, as for dropout).
/// </summary>
internal sealed class StochasticDepthRule : LayerRule
{
    public override string Name => "StochasticDepth";

    public override ImmutableDictionary<string, object> Defaults { get; } = ImmutableDictionary<string, object>.Empty.Add("Mode", "Row");

    /// <summary>A per-sample scale by a positive constant or zero: an init search may look through it.</summary>
    public override LayerTraits Traits => LayerTraits.Transparent;

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        double p = context.Number("P");
        string mode = context.Enum("Mode");
        if (!(p >= 0 && p < 1))
        {
            context.Report(Descriptors.DropoutOutOfRange, "rate (StochasticDepth's p)", "[0, 1)", Invariant.Short(p));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        string display = $"StochasticDepth({Invariant.Short(p)}{(mode == "Row" ? "" : ", batch")})";
        return ImmutableArray.Create(PlannedLayer.Simple("stochasticdepth", display, "global::ModelDsl.StochasticDepth",
            CallPlan.New("global::ModelDsl.StochasticDepth", CallArgument.Double(p), CallArgument.Symbolic("global::ModelDsl.StochasticDepthMode." + mode)), context.Input,
            $"zeroes {(mode == "Row" ? "each sample" : "the batch")} with p = {Invariant.Short(p)} and scales the rest by 1/{Invariant.Short(1 - p)} in training; identity in eval") with { Kind = Name });
    }
}
