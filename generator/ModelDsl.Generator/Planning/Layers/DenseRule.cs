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

    public override ImmutableDictionary<string, object> Defaults { get; } = ParametrizedOptions.With(("Bias", true), ("Activation", "None"), ("TiedToEmbedding", false));

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
        if (context.Boolean("TiedToEmbedding")) return Tied(context, display, units, inFeatures, bias, perStep);
        InitPlan.Result? init = InitPlan.Plan(context, display, inFeatures, units, bias);
        if (init is null) return ImmutableArray<PlannedLayer>.Empty;

        EquatableArray<long> output = perStep ? Shapes.Of(context.Input[0], units) : Shapes.Of(units);
        long parameters = checked(inFeatures * units + (bias ? units : 0));
        var layer = new PlannedLayer(
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
            OutputOverwritable = true,
            Role = LayerRole.Weights,
            Tensors = PlannedTensor.WeightAndBias(bias, units, inFeatures),
            SupportsWeightNoise = true,
            // The vectorized ensemble's Dense is a batched matmul over [M, B, F]; a sequence has no form there.
            Vectorized = perStep ? null : new VectorizedLayerPlan(VectorizedForm.Dense, inFeatures, units, bias, null, 0),
        };
        return ActivationRule.WithInline(layer, context.Enum("Activation"), Name, output);
    }

    /// <summary>
    /// Weight tying (Press &amp; Wolf 2017): ModelDsl.TiedLinear reads the token embedding's table [V, D] as its weight, so
    /// the layer's own parameters are its bias only; the generated constructor ties it (TiedLinear.TieAll).
    /// </summary>
    private ImmutableArray<PlannedLayer> Tied(LayerContext context, string display, long units, long inFeatures, bool bias, bool perStep)
    {
        AttributeDeclaration? embedding = context.Preceding.Count > 0 && LayerRules.Find(context.Preceding[0].Name)?.Traits.TokenTable == true ? context.Preceding[0] : null;
        double vocabulary = embedding?.Number("Vocabulary", double.NaN) ?? double.NaN, dimension = embedding?.Number("Dimension", double.NaN) ?? double.NaN;
        string? problem = embedding is null
            ? "the table it shares is the token embedding, and the model's first layer is no [Embedding]"
            : context.Number("WeightNoise") > 0 || context.Number("MaxNorm") > 0
                ? "WeightNoise and MaxNorm act on a weight of the layer's own, and a tied layer reads the embedding's; remove them"
                : vocabulary != units || dimension != inFeatures
                    ? $"the embedding's table is [{Invariant.Short(vocabulary)}, {Invariant.Short(dimension)}], so the layer must map {Invariant.Short(dimension)} features to {Invariant.Short(vocabulary)} units, and it maps {inFeatures} to {units}"
                    : null;
        if (problem is not null)
        {
            context.Report(Descriptors.TiedWeights, display, problem);
            return ImmutableArray<PlannedLayer>.Empty;
        }
        EquatableArray<long> output = perStep ? Shapes.Of(context.Input[0], units) : Shapes.Of(units);
        string summary = "the embedding's table (tied, Press & Wolf 2017)" + (bias ? "; bias 0" : "");
        var layer = new PlannedLayer(
            "dense",
            display + " tied",
            "global::ModelDsl.TiedLinear",
            CallPlan.New("global::ModelDsl.TiedLinear", CallArgument.Long(inFeatures), CallArgument.Long(units), CallArgument.Bool(bias, "hasBias"), CallArgument.DType),
            EquatableArray<CallPlan>.Empty,
            $"{inFeatures} → {units}{(perStep ? " at each step" : "")}, weight = the embedding's [{units}, {inFeatures}] table (counted there)",
            output,
            bias ? units : 0,
            summary)
        {
            Kind = Name,
            OutputOverwritable = true,
            Role = LayerRole.Weights,
            // Its weight is the embedding's (decayed with IncludeEmbedding); only the bias is its own.
            Decayed = new DecayedParameters(EquatableArray<string>.Empty, bias ? new[] { "bias" }.ToEquatableArray() : EquatableArray<string>.Empty, EquatableArray<string>.Empty),
            Tensors = bias ? new[] { PlannedTensor.Float("bias", units) }.ToEquatableArray() : EquatableArray<PlannedTensor>.Empty,
        };
        return ActivationRule.WithInline(layer, context.Enum("Activation"), Name, output);
    }
}
