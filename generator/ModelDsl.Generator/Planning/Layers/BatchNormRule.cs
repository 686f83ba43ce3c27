using System.Collections.Immutable;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Helpers;

namespace ModelDsl.Generator.Planning.Layers;

/// <summary>
/// [BatchNorm] → ModelDsl.BatchNormalization: over features for [B, F], per channel for [B, C, H, W] (5.3.3), as
/// PyTorch's BatchNorm1d/2d (same state_dict keys) but refusing a training batch with one value per channel, which
/// TorchSharp's modules turn into a NaN running_var. γ starts at 1 and β at 0.
/// </summary>
internal sealed class BatchNormRule : LayerRule
{
    public override string Name => "BatchNorm";

    public override ImmutableArray<LayerPart> Plan(LayerContext context)
    {
        double momentum = context.Layer.Number("Momentum", 0.1);
        double eps = context.Layer.Number("Eps", 1e-5);
        bool affine = context.Layer.Boolean("Affine", true);
        if (context.Input.Count is not (1 or 3))
        {
            context.Report(Descriptors.NormDoesNotFit, "BatchNorm", Shapes.Format(context.Input), "features [B, F] or images [B, C, H, W]");
            return ImmutableArray<LayerPart>.Empty;
        }
        if (!(momentum >= 0 && momentum <= 1))
        {
            context.Report(Descriptors.NonPositiveSize, "BatchNorm Momentum (between 0 and 1)", Invariant.Short(momentum));
            return ImmutableArray<LayerPart>.Empty;
        }
        if (!context.RequirePositive("BatchNorm Eps", eps)) return ImmutableArray<LayerPart>.Empty;

        long features = context.Input[0];
        string what = context.Input.Count == 1 ? $"{features} features" : $"{features} channels over (N, H, W)";
        return ImmutableArray.Create(new LayerPart(
            "batchnorm",
            "BatchNorm",
            "global::ModelDsl.BatchNormalization",
            $"new global::ModelDsl.BatchNormalization({features}, eps: {Invariant.Double(eps)}, momentum: {Invariant.Double(momentum)}, affine: {(affine ? "true" : "false")}, dtype: dtype)",
            EquatableArray<string>.Empty,
            $"normalizes {what}; momentum {Invariant.Short(momentum)}",
            context.Input,
            affine ? 2 * features : 0,
            affine ? "γ=1, β=0" : ""));
    }
}
