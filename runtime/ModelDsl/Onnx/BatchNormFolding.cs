using ModelDsl.Kinds;
using static TorchSharp.torch;

namespace ModelDsl.Onnx;

/// <summary>What eval-mode batch norm computes with: γ and β (null without affine), the running statistics and ε.</summary>
internal sealed record RunningStatistics(Tensor? Weight, Tensor? Bias, Tensor Mean, Tensor Variance, double Eps, long Channels);

/// <summary>
/// Folds an eval-mode batch norm into the Dense or Conv2d right before it. In inference BN is the fixed affine map
/// y = (z − μ)·s + β with s = γ/√(σ² + ε) (Ioffe and Szegedy 2015, §3.2), so for z = W·x + b:
/// W' = s ⊙ W (each output unit's row or filter scaled) and b' = (b − μ)·s + β. Computed in float64, then returned in
/// the layer's dtype.
/// </summary>
internal static class BatchNormFolding
{
    /// <summary>
    /// The running statistics of a batch norm that keeps them (ModelDsl's BatchNormalization, TorchSharp's BatchNorm1d/2d/3d
    /// with track_running_stats), null for any other module: each kind answers, through <see cref="LayerKinds.RunningStatistics"/>.
    /// </summary>
    public static RunningStatistics? Of(nn.Module module) => LayerKinds.RunningStatistics(module);

    /// <summary>
    /// Whether <paramref name="next"/> is a batch norm with running statistics over the channels <paramref name="layer"/>
    /// (a Dense or Conv2d, <see cref="LayerKinds.FoldTarget"/>) writes; a sequence batch norm ([B, T, C]) is not.
    /// </summary>
    public static bool CanFold(nn.Module layer, nn.Module next)
        => LayerKinds.FoldTarget(layer) is not null && next is not BatchNormalization { FeaturesLast: true } && Of(next) is not null;

    /// <summary>The folded (weight, bias), in the caller's dispose scope.</summary>
    public static (Tensor Weight, Tensor Bias) Fold(nn.Module layer, nn.Module next)
    {
        RunningStatistics norm = Of(next) ?? throw new System.ArgumentException($"{next.GetType().Name} is not a batch norm with running statistics", nameof(next));
        FoldTarget target = LayerKinds.FoldTarget(layer) ?? throw new System.ArgumentException($"cannot fold a batch norm into {layer.GetType().Name}", nameof(layer));
        (Tensor weight, Tensor? bias) = target.Weights(layer);
        ScalarType dtype = weight.dtype;
        Tensor mean = norm.Mean.to(ScalarType.Float64);
        Tensor variance = norm.Variance.to(ScalarType.Float64);
        Tensor gamma = norm.Weight is { } w ? w.detach().to(ScalarType.Float64) : ones_like(mean);
        Tensor beta = norm.Bias is { } b ? b.detach().to(ScalarType.Float64) : zeros_like(mean);
        Tensor scale = gamma / (variance + norm.Eps).sqrt();

        long[] perUnit = new long[weight.dim()];
        System.Array.Fill(perUnit, 1L);
        perUnit[0] = -1;
        Tensor folded = weight.detach().to(ScalarType.Float64) * scale.reshape(perUnit);
        Tensor shift = bias is null ? zeros_like(mean) : bias.detach().to(ScalarType.Float64);
        Tensor foldedBias = (shift - mean) * scale + beta;
        return (folded.to(dtype), foldedBias.to(dtype));
    }
}
