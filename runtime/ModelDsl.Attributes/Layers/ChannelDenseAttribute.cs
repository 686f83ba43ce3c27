namespace ModelDsl;

/// <summary>
/// A fully connected layer on each pixel's channel vector: [B, C, H, W] → [B, units, H, W], y = W·x + b at every pixel
/// with W of shape [units, C], PyTorch's <c>nn.Linear</c> on the channels-last view (ConvNeXt's pointwise layers, Liu et
/// al. 2022). The same function as a 1×1 convolution, with a Linear's [out, in] weight, so such checkpoints load.
/// Initialized as a Linear (U(±1/√C)) from the model's seed.
/// </summary>
public sealed class ChannelDenseAttribute : LayerAttribute
{
    /// <summary>Maps C channels to <paramref name="units"/>.</summary>
    public ChannelDenseAttribute(int units) => Units = units;

    /// <summary>The output channels.</summary>
    public int Units { get; }
}
