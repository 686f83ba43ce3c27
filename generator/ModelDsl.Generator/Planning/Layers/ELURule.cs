using System.Collections.Immutable;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [ELU(alpha)] → nn.ELU(alpha): x for x &gt; 0, α·(eˣ − 1) otherwise (Clevert et al. 2016); α must be positive. A rectifier
/// for the init rules with negative slope 0 (its slope at 0⁻ is α, but for x ≪ 0 it saturates instead of staying linear),
/// so He uses √2 and Xavier before it is MD0012. Not vectorizable (ModelDsl.VectorizedLayerKind has no ELU).
/// </summary>
internal sealed class ELURule : ActivationRule
{
    public ELURule() : base("ELU", "", ActivationGain.Rectifier, vectorizable: false) { }

    public override ImmutableDictionary<string, object> Defaults { get; } = ImmutableDictionary<string, object>.Empty.Add("Alpha", 1.0);

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
        => context.RequirePositive("ELU alpha", context.Number("Alpha")) ? base.Plan(context) : ImmutableArray<PlannedLayer>.Empty;

    protected override PlannedLayer Part(LayerContext? context, EquatableArray<long> shape)
    {
        double alpha = context is null ? (double)Defaults["Alpha"] : context.Number("Alpha");
        return Make($"ELU({Invariant.Short(alpha)})", CallPlan.Method($"{Nn}.ELU", CallArgument.Double(alpha, "alpha")),
            $"x if x > 0, else {Invariant.Short(alpha)}·(e^x − 1)", shape, null);
    }
}
