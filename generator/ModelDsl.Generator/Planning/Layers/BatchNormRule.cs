using System.Collections.Immutable;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [BatchNorm] → ModelDsl.BatchNormalization: over features for [B, F], per channel for [B, C, H, W] (5.3.3), per
/// feature over (B, T) for a sequence [B, T, F] (featuresLast: BatchNorm1d on the transposed [B, F, T], with the
/// chapter's advice MD0066: LayerNorm is the sequence norm), as PyTorch's BatchNorm1d/2d (same state_dict keys) but
/// refusing a training batch with one value per channel, which TorchSharp's modules turn into a NaN running_var.
/// γ starts at 1 and β at 0.
/// </summary>
internal sealed class BatchNormRule : LayerRule
{
    /// <summary>The attribute's name, for planners that build a BatchNorm (after a residual block's 1×1 projection).</summary>
    public const string Attribute = "BatchNorm";

    public override string Name => Attribute;

    public override ImmutableDictionary<string, object> Defaults { get; } = new System.Collections.Generic.Dictionary<string, object>
    {
        ["Momentum"] = 0.1,
        ["Eps"] = 1e-5,
        ["Affine"] = true,
    }.ToImmutableDictionary();

    public override LayerTraits Traits => LayerTraits.AffineTransparent;

    public override ImmutableArray<PlannedLayer> Plan(LayerContext context)
    {
        double momentum = context.Number("Momentum");
        double eps = context.Number("Eps");
        bool affine = context.Boolean("Affine");
        if (context.Input.Count is not (1 or 2 or 3))
        {
            context.Report(Descriptors.NormDoesNotFit, "BatchNorm", Shapes.Format(context.Input), "features [B, F], sequences [B, T, F] or images [B, C, H, W]");
            return ImmutableArray<PlannedLayer>.Empty;
        }
        if (!(momentum >= 0 && momentum <= 1))
        {
            context.Report(Descriptors.NonPositiveSize, "BatchNorm Momentum (between 0 and 1)", Invariant.Short(momentum));
            return ImmutableArray<PlannedLayer>.Empty;
        }
        if (!context.RequirePositive("BatchNorm Eps", eps)) return ImmutableArray<PlannedLayer>.Empty;
        // Keras's momentum 0.99 is PyTorch's 0.01: a large m here is almost always the other convention.
        if (momentum > 0.5) context.Report(Descriptors.KerasMomentum, Invariant.Short(momentum), Invariant.Short(1 - momentum));

        bool sequence = context.Input.Count == 2;
        long features = sequence ? context.Input[1] : context.Input[0];
        if (sequence) context.Report(Descriptors.BatchNormOnSequence, Shapes.Format(context.Input), Invariant.Count(features), Invariant.Count(context.Input[0]));
        string what = context.Input.Count switch
        {
            1 => $"{features} features",
            2 => $"{features} features over (N, T)",
            _ => $"{features} channels over (N, H, W)",
        };
        var arguments = new System.Collections.Generic.List<CallArgument>
        {
            CallArgument.Long(features), CallArgument.Double(eps, "eps"), CallArgument.Double(momentum, "momentum"), CallArgument.Bool(affine, "affine"), CallArgument.DType,
        };
        if (sequence) arguments.Add(CallArgument.Bool(true, "featuresLast"));
        CallPlan construction = CallPlan.New("global::ModelDsl.BatchNormalization", arguments.ToArray());
        return ImmutableArray.Create(new PlannedLayer(
            "batchnorm",
            "BatchNorm",
            "global::ModelDsl.BatchNormalization",
            construction,
            EquatableArray<CallPlan>.Empty,
            $"normalizes {what}; momentum {Invariant.Short(momentum)}",
            context.Input,
            affine ? 2 * features : 0,
            affine ? "γ=1, β=0" : "") {
            Kind = Name,
            OutputOverwritable = true,
            NormalizesImages = context.Input.Count == 3,
            Role = LayerRole.Normalization,
            Gamma = affine ? "Weight" : null,
            Tensors = PlannedTensor.Affine(affine, features).Concat(PlannedTensor.RunningStatistics(features)).ToEquatableArray(),
        });
    }
}
