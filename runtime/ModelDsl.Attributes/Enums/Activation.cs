namespace ModelDsl;

/// <summary>An activation written inline on a layer: <c>Dense(256, Activation = Activation.ReLU)</c>.</summary>
public enum Activation
{
    /// <summary>No activation (linear).</summary>
    None,
    /// <summary>max(0, x).</summary>
    ReLU,
    /// <summary>LeakyReLU with the default slope 0.01; use the <c>[LeakyReLU(slope)]</c> attribute for another slope.</summary>
    LeakyReLU,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh,
    /// <summary>Logistic sigmoid.</summary>
    Sigmoid,
    /// <summary>Gaussian error linear unit.</summary>
    GELU,
    /// <summary>Softmax over the last dimension (output layer only).</summary>
    Softmax,
    /// <summary>Log-softmax over the last dimension (output layer only).</summary>
    LogSoftmax,
}
