namespace ModelDsl;

/// <summary>
/// Additive Gaussian noise N(0, std²) on the values passing through, in training only (chapter 5.9): on the inputs it
/// acts like weight decay (Bishop 1995), between layers it is feature noise. Eval passes the input through unchanged.
/// </summary>
public sealed class GaussianNoiseAttribute : LayerAttribute
{
    /// <summary>Declares noise with standard deviation <paramref name="std"/> (not variance), ≥ 0.</summary>
    public GaussianNoiseAttribute(double std) => Std = std;

    /// <summary>The noise's standard deviation.</summary>
    public double Std { get; }
}
