using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Onnx;

/// <summary>
/// Folds an eval-mode batch norm into the Dense or Conv2d right before it. In inference BN is the fixed affine map
/// y = (z − μ)·s + β with s = γ/√(σ² + ε) (Ioffe and Szegedy 2015, §3.2), so for z = W·x + b:
/// W' = s ⊙ W (each output unit's row or filter scaled) and b' = (b − μ)·s + β. Computed in float64, then returned in
/// the layer's dtype.
/// </summary>
internal static class BatchNormFolding
{
    public static bool CanFold(nn.Module layer, nn.Module next)
        => layer is Linear or Conv2d
           && next is BatchNorm1d or BatchNorm2d
           && ((BatchNorm)next) is { track_running_stats: true, running_mean: not null, running_var: not null };

    /// <summary>The folded (weight, bias), in the caller's dispose scope.</summary>
    public static (Tensor Weight, Tensor Bias) Fold(nn.Module layer, nn.Module next)
    {
        var norm = (BatchNorm)next;
        (Tensor weight, Tensor? bias) = layer switch
        {
            Linear linear => ((Tensor)linear.weight, (Tensor?)linear.bias),
            Conv2d conv => (conv.weight, conv.bias),
            _ => throw new System.ArgumentException($"cannot fold a batch norm into {layer.GetType().Name}", nameof(layer)),
        };
        ScalarType dtype = weight.dtype;
        Tensor mean = norm.running_mean!.to(ScalarType.Float64);
        Tensor variance = norm.running_var!.to(ScalarType.Float64);
        Tensor gamma = norm.weight is { } w ? w.detach().to(ScalarType.Float64) : ones_like(mean);
        Tensor beta = norm.bias is { } b ? b.detach().to(ScalarType.Float64) : zeros_like(mean);
        Tensor scale = gamma / (variance + norm.eps).sqrt();

        long[] perUnit = new long[weight.dim()];
        System.Array.Fill(perUnit, 1L);
        perUnit[0] = -1;
        Tensor folded = weight.detach().to(ScalarType.Float64) * scale.reshape(perUnit);
        Tensor shift = bias is null ? zeros_like(mean) : bias.detach().to(ScalarType.Float64);
        Tensor foldedBias = (shift - mean) * scale + beta;
        return (folded.to(dtype), foldedBias.to(dtype));
    }
}
