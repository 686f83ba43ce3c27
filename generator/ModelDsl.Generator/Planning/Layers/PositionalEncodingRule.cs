using System.Collections.Immutable;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>[PositionalEncoding] → ModelDsl.PositionalEncoding(T, D): sinusoids (a buffer) or, with Learned, a T×D parameter.</summary>
internal sealed class PositionalEncodingRule : LayerRule
{
    public override string Name => "PositionalEncoding";

    public override LayerTraits Traits { get; } = LayerTraits.Affine with { KeepsSteps = true };

    public override ImmutableDictionary<string, object> Defaults { get; } = ImmutableDictionary<string, object>.Empty.Add("Learned", false);

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        bool learned = context.Boolean("Learned");
        string display = learned ? "PositionalEncoding(learned)" : "PositionalEncoding";
        if (context.Input.Count != 2)
        {
            context.Report(Descriptors.NeedsSequence, display, Shapes.Format(context.Input));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        long steps = context.Input[0], dimension = context.Input[1];
        CallPlan construction = CallPlan.New("global::ModelDsl.PositionalEncoding", CallArgument.Long(steps), CallArgument.Long(dimension),
            CallArgument.Bool(learned, "learned"), CallArgument.DType, CallArgument.Symbolic("generator", "generator"));
        return ImmutableArray.Create(new PlannedLayer(
            "position",
            display,
            "global::ModelDsl.PositionalEncoding",
            construction,
            EquatableArray<CallPlan>.Empty,
            learned ? $"adds a learned {steps}×{dimension} table, N(0, 0.02²)" : $"adds sin/cos of the position at {dimension} frequencies (Vaswani et al. 2017)",
            context.Input,
            learned ? checked(steps * dimension) : 0,
            learned ? "N(0, 0.02²)" : "") { Kind = Name, Tensors = new[] { PlannedTensor.Float("pe", steps, dimension) }.ToEquatableArray() });
    }
}
