namespace ModelDsl;

/// <summary>
/// Group normalization (5.3.3): per sample over groups of channels (and H, W) — TorchSharp <c>nn.GroupNorm</c>.
/// Independent of the batch, so it works with batch size 1 where batch norm does not.
/// </summary>
public sealed class GroupNormAttribute : LayerAttribute
{
    /// <summary>Declares group normalization with <paramref name="groups"/> groups; it must divide the channel count.</summary>
    public GroupNormAttribute(int groups) => Groups = groups;

    /// <summary>Number of channel groups.</summary>
    public int Groups { get; }

    /// <summary>Added to the variance for numerical stability (default 1e-5).</summary>
    public double Eps { get; set; } = 1e-5;

    /// <summary>Learnable per-channel scale γ (starts at 1) and shift β (starts at 0) (default true).</summary>
    public bool Affine { get; set; } = true;
}
