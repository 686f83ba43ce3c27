namespace ModelDsl;

/// <summary>
/// Stochastic depth, "drop path" (Huang et al. 2016), as torchvision.ops.StochasticDepth: in training each sample's
/// input (<see cref="StochasticDepthMode.Row"/>) or the whole batch's (<see cref="StochasticDepthMode.Batch"/>) is zeroed
/// with probability p and the survivors scaled by 1/(1 − p); the identity in eval. Placed at the end of a residual
/// branch it drops the branch, so the unit is its shortcut (EfficientNet, ConvNeXt). Shape-preserving, any rank.
/// </summary>
public sealed class StochasticDepthAttribute : LayerAttribute
{
    /// <summary>Drops with probability <paramref name="p"/>, 0 ≤ p &lt; 1.</summary>
    public StochasticDepthAttribute(double p) => P = p;

    /// <summary>The drop probability.</summary>
    public double P { get; }

    /// <summary>Per sample (default) or for the whole batch.</summary>
    public StochasticDepthMode Mode { get; set; }
}

/// <summary>What <see cref="StochasticDepthAttribute"/> drops at once (torchvision's <c>mode</c>).</summary>
public enum StochasticDepthMode
{
    /// <summary>Each sample independently ("row").</summary>
    Row,

    /// <summary>The whole batch together ("batch").</summary>
    Batch,
}
