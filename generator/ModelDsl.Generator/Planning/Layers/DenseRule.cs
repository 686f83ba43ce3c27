using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>[Dense(units)] → nn.Linear(in, units), initialized per its Init options, plus its inline Activation.</summary>
internal sealed class DenseRule : LayerRule
{
    /// <summary>The attribute's name, for planners that build a Dense (a residual block's feature projection).</summary>
    public const string Attribute = "Dense";

    public override string Name => Attribute;

    public override LayerTraits Traits => LayerTraits.PlainWeights;

    public override ImmutableDictionary<string, object> Defaults { get; } = ParametrizedOptions.With(("Bias", true), ("Activation", "None"));

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        long units = (long)context.Number("Units");
        string display = $"Dense({units})";
        if (!context.RequirePositive("Dense units", units)) return ImmutableArray<PlannedLayer>.Empty;
        if (context.Input.Count != 1)
        {
            context.Report(Descriptors.DenseNeedsFlatten, display, Shapes.Format(context.Input));
            return ImmutableArray<PlannedLayer>.Empty;
        }

        long inFeatures = context.Input[0];
        bool bias = context.Boolean("Bias");
        InitPlan.Result? init = InitPlan.Plan(context, display, inFeatures, units, bias);
        if (init is null) return ImmutableArray<PlannedLayer>.Empty;

        EquatableArray<long> output = Shapes.Of(units);
        long parameters = checked(inFeatures * units + (bias ? units : 0));
        var builder = ImmutableArray.CreateBuilder<PlannedLayer>();
        builder.Add(new PlannedLayer(
            "dense",
            display,
            Modules + ".Linear",
            CallPlan.Method(Nn + ".Linear", CallArgument.Long(inFeatures), CallArgument.Long(units), CallArgument.Bool(bias, "hasBias"), CallArgument.DType),
            init.Statements,
            $"{inFeatures} → {units}; {init.Summary}",
            output,
            parameters,
            init.Summary)
        {
            Kind = Name,
            Role = LayerRole.Weights,
            Tensors = PlannedTensor.WeightAndBias(bias, units, inFeatures),
            SupportsWeightNoise = true,
            Vectorized = new VectorizedLayerPlan(VectorizedForm.Dense, inFeatures, units, bias, null, 0),
        });
        if (ActivationRule.Inline(context.Enum("Activation"), Name, output) is { } activation) builder.Add(activation);
        return builder.ToImmutable();
    }
}
