using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>[Dense(units)] → nn.Linear(in, units), initialized per its Init options, plus its inline Activation.</summary>
internal sealed class DenseRule : LayerRule
{
    public override string Name => "Dense";

    public override ImmutableArray<LayerPart> Plan(LayerContext context)
    {
        long units = (long)context.Layer.Number("Units", 0);
        string display = $"Dense({units})";
        if (!context.RequirePositive("Dense units", units)) return ImmutableArray<LayerPart>.Empty;
        if (context.Input.Count != 1)
        {
            context.Report(Descriptors.DenseNeedsFlatten, display, Shapes.Format(context.Input));
            return ImmutableArray<LayerPart>.Empty;
        }

        long inFeatures = context.Input[0];
        bool bias = context.Layer.Boolean("Bias", true);
        InitPlan.Result? init = InitPlan.Plan(context, display, inFeatures, units, bias);
        if (init is null) return ImmutableArray<LayerPart>.Empty;

        EquatableArray<long> output = Shapes.Of(units);
        long parameters = checked(inFeatures * units + (bias ? units : 0));
        var builder = ImmutableArray.CreateBuilder<LayerPart>();
        builder.Add(new LayerPart(
            "dense",
            display,
            Modules + ".Linear",
            $"{Nn}.Linear({inFeatures}, {units}, hasBias: {(bias ? "true" : "false")}, dtype: dtype)",
            init.Statements,
            $"{inFeatures} → {units}; {init.Summary}",
            output,
            parameters,
            init.Summary));

        string activation = context.Layer.EnumMember("Activation", "None");
        if (activation != "None")
        {
            LayerPart? part = Activations.Module(activation, 0.01, output);
            if (part is not null) builder.Add(part);
        }
        return builder.ToImmutable();
    }
}
