namespace ModelDsl;

/// <summary>
/// Dropout of whole channels of an image [B, C, H, W] (TorchSharp <c>nn.Dropout2d</c>, inverted scaling): neighbouring
/// pixels are correlated, so dropping single pixels regularizes little. Say it either way, exactly once:
/// <c>Dropout2d(0.2)</c> is the drop rate, <c>Dropout2d(Keep = 0.8)</c> the keep probability.
/// </summary>
public sealed class Dropout2dAttribute : LayerAttribute
{
    /// <summary>Declares channel dropout whose keep probability is given by <see cref="Keep"/>.</summary>
    public Dropout2dAttribute() { }

    /// <summary>Declares channel dropout with drop probability <paramref name="rate"/> in [0, 1).</summary>
    public Dropout2dAttribute(double rate) => Rate = rate;

    /// <summary>Probability of dropping a channel, in [0, 1).</summary>
    public double Rate { get; }

    /// <summary>Probability of keeping a channel, in (0, 1]. Keep = 1 − rate.</summary>
    public double Keep { get; set; }
}
