namespace ModelDsl;

/// <summary>Which fan the He and LeCun schemes divide by.</summary>
public enum FanMode
{
    /// <summary>Preserves the variance of activations in the forward pass (the default).</summary>
    FanIn,
    /// <summary>Preserves the variance of gradients in the backward pass.</summary>
    FanOut,
}
