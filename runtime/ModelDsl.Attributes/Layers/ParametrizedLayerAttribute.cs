namespace ModelDsl;

/// <summary>
/// A layer with weights: initialization (5.1), weight-decay group (5.4), weight noise (5.9) and max-norm.
/// Unset numeric options keep their documented defaults; the generator reads only what you write.
/// </summary>
public abstract class ParametrizedLayerAttribute : LayerAttribute
{
    /// <summary>Weight initialization; <see cref="ModelDsl.Init.Default"/> keeps TorchSharp's.</summary>
    public Init Init { get; set; }

    /// <summary>Gain for Xavier, He and Orthogonal. Default: 1 for Xavier and Orthogonal; He derives √(2/(1+a²)) from the activation that follows.</summary>
    public double InitGain { get; set; } = 1.0;

    /// <summary>Fan used by He and LeCun (default fan-in).</summary>
    public FanMode InitMode { get; set; }

    /// <summary>Value for <c>Init = Constant</c>.</summary>
    public double InitValue { get; set; }

    /// <summary>Mean for <c>Init = Normal</c> (default 0).</summary>
    public double InitMean { get; set; }

    /// <summary>Standard deviation (not variance) for <c>Init = Normal</c> (default 0.01).</summary>
    public double InitStd { get; set; } = 0.01;

    /// <summary>Lower bound for <c>Init = Uniform</c> (default −0.05).</summary>
    public double InitLow { get; set; } = -0.05;

    /// <summary>Upper bound for <c>Init = Uniform</c> (default 0.05).</summary>
    public double InitHigh { get; set; } = 0.05;

    /// <summary>Bias initialization: zeros when a weight init is named, TorchSharp's default otherwise. Only Zeros and Constant apply.</summary>
    public Init BiasInit { get; set; }

    /// <summary>Value for <c>BiasInit = Constant</c>.</summary>
    public double BiasValue { get; set; }

    /// <summary>Weight-decay group this layer's parameters belong to (5.4); declared with <c>[WeightDecay(name, …)]</c>.</summary>
    public string? Group { get; set; }

    /// <summary>Standard deviation of Gaussian noise added to the weights on every training forward pass (5.9); 0 = off.</summary>
    public double WeightNoise { get; set; }

    /// <summary>Max-norm constraint c on each unit's incoming weight vector (Srivastava et al. 2014); 0 = off.</summary>
    public double MaxNorm { get; set; }
}
