using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [Dense(units)] → nn.Linear(in, units), initialized per its Init options, plus its inline Activation. On features
/// [F] → [units]; on a sequence [T, F] → [T, units], each step on its own (nn.Linear and Keras's Dense act on the last
/// axis), as a language model's output projection is. An image needs [Flatten] first (MD0030).
/// </summary>
internal sealed class DenseRule : LayerRule
{
    /// <summary>The attribute's name, for planners that build a Dense (a residual block's feature projection).</summary>
    public const string Attribute = "Dense";

    public override string Name => Attribute;

    public override LayerTraits Traits { get; } = LayerTraits.PlainWeights with { PerStep = true };

    public override ImmutableDictionary<string, object> Defaults { get; } = ParametrizedOptions.With(("Bias", true), ("Activation", "None"));

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        long units = (long)context.Number("Units");
        string display = $"Dense({units})";
        if (!context.RequirePositive("Dense units", units)) return ImmutableArray<PlannedLayer>.Empty;
        if (context.Input.Count is not (1 or 2))
        {
            context.Report(Descriptors.DenseNeedsFlatten, display, Shapes.Format(context.Input));
            return ImmutableArray<PlannedLayer>.Empty;
        }

        bool perStep = context.Input.Count == 2;
        long inFeatures = context.Input[context.Input.Count - 1];
        bool bias = context.Boolean("Bias");
        InitPlan.Result? init = InitPlan.Plan(context, display, inFeatures, units, bias);
        if (init is null) return ImmutableArray<PlannedLayer>.Empty;

        EquatableArray<long> output = perStep ? Shapes.Of(context.Input[0], units) : Shapes.Of(units);
        long parameters = checked(inFeatures * units + (bias ? units : 0));
        var builder = ImmutableArray.CreateBuilder<PlannedLayer>();
        builder.Add(new PlannedLayer(
            "dense",
            display,
            Modules + ".Linear",
            CallPlan.Method(Nn + ".Linear", CallArgument.Long(inFeatures), CallArgument.Long(units), CallArgument.Bool(bias, "hasBias"), CallArgument.DType),
            init.Statements,
            $"{inFeatures} → {units}{(perStep ? " at each step" : "")}; {init.Summary}",
            output,
            parameters,
            init.Summary)
        {
            Kind = Name,
            Role = LayerRole.Weights,
            SupportsWeightNoise = true,
            // The vectorized ensemble's Dense is a batched matmul over [M, B, F]; a sequence has no form there.
            Vectorized = perStep ? null : new VectorizedLayerPlan(VectorizedForm.Dense, inFeatures, units, bias, null, 0),
        });
        if (ActivationRule.Inline(context.Enum("Activation"), Name, output) is { } activation) builder.Add(activation);
        return builder.ToImmutable();
    }
}
