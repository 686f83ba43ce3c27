using System.Collections.Immutable;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>[LeakyReLU(slope)] → nn.LeakyReLU(negative_slope): x for x ≥ 0, slope·x otherwise; He gain √(2/(1+slope²)) (He et al. 2015, eq. 15).</summary>
internal sealed class LeakyReLURule : ActivationRule
{
    public LeakyReLURule() : base("LeakyReLU", "", ActivationGain.Rectifier) { }

    public override ImmutableDictionary<string, object> Defaults { get; } = ImmutableDictionary<string, object>.Empty.Add("Slope", 0.01);

    public override double NegativeSlope(AttributeDeclaration layer) => layer.Number("Slope", (double)Defaults["Slope"]);

    protected override PlannedLayer Part(LayerContext? context, EquatableArray<long> shape)
    {
        double slope = context is null ? (double)Defaults["Slope"] : context.Number("Slope");
        return Make($"LeakyReLU({Invariant.Short(slope)})", CallPlan.Method($"{Nn}.LeakyReLU", CallArgument.Double(slope, "negative_slope")),
            $"x if x ≥ 0, else {Invariant.Short(slope)}·x", shape,
            new VectorizedLayerPlan(VectorizedForm.Activation, shape.Count == 1 ? shape[0] : 0, 0, false, "LeakyReLU", slope));
    }
}
