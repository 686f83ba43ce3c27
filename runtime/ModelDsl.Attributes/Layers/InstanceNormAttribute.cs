namespace ModelDsl;

/// <summary>
/// Instance normalization (5.3.3): each channel of each sample over (H, W) — TorchSharp <c>nn.InstanceNorm2d</c>.
/// Applies to images [B, C, H, W] only.
/// </summary>
public sealed class InstanceNormAttribute : LayerAttribute
{
    /// <summary>Added to the variance for numerical stability (default 1e-5).</summary>
    public double Eps { get; set; } = 1e-5;

    /// <summary>Learnable per-channel scale γ and shift β (default false, as in PyTorch).</summary>
    public bool Affine { get; set; }

    /// <summary>Keep running averages in training and use them in eval (default false: per-instance statistics always).</summary>
    public bool TrackRunningStats { get; set; }

    /// <summary>Weight of the current batch in the running averages when <see cref="TrackRunningStats"/> is on (default 0.1).</summary>
    public double Momentum { get; set; } = 0.1;
}
