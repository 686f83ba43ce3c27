namespace ModelDsl;

/// <summary>Residual-aware initialization of a <c>[Residual]</c> block's branch, applied after each layer's own init.</summary>
public enum ResidualInit
{
    /// <summary>Each layer as its own options say.</summary>
    Default,
    /// <summary>
    /// γ = 0 in the branch's final norm (the last norm after its last weight layer), so every unit starts as the identity
    /// (or its projection): Goyal et al. 2017, "Accurate, Large Minibatch SGD", §5.1; torchvision's zero_init_residual.
    /// </summary>
    ZeroGamma,
    /// <summary>The branch's last weight layer (Dense or Conv2d) starts at zero weights and bias: every unit starts as the identity (or its projection).</summary>
    ZeroWeights,
    /// <summary>
    /// Fixup (Zhang, Dauphin and Ma 2019, "Fixup Initialization", §3 rule 2), for networks without normalization: the
    /// branch's last weight layer starts at zero and its other weight layers are scaled by L^(−1/(2m−2)) after their own
    /// init, with L the model's residual units and m the branch's weight layers (m ≥ 2). Fixup's scalar biases and
    /// multiplier (rule 3) are not added.
    /// </summary>
    Fixup,
}
