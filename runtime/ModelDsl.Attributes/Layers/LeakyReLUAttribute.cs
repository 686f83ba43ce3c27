namespace ModelDsl;

/// <summary>LeakyReLU: x for x ≥ 0, slope·x otherwise. A He init before it uses gain √(2/(1+slope²)).</summary>
public sealed class LeakyReLUAttribute : LayerAttribute
{
    /// <summary>Declares a LeakyReLU with negative slope 0.01.</summary>
    public LeakyReLUAttribute() : this(0.01) { }

    /// <summary>Declares a LeakyReLU with the given negative slope.</summary>
    public LeakyReLUAttribute(double slope) => Slope = slope;

    /// <summary>The negative slope a.</summary>
    public double Slope { get; }
}
