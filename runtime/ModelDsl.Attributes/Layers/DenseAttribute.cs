namespace ModelDsl;

/// <summary>A fully connected layer (TorchSharp <c>nn.Linear</c>): y = x·Wᵀ + b.</summary>
public sealed class DenseAttribute : ParametrizedLayerAttribute
{
    /// <summary>Declares a dense layer with <paramref name="units"/> outputs.</summary>
    public DenseAttribute(int units) => Units = units;

    /// <summary>Number of output units.</summary>
    public int Units { get; }

    /// <summary>Activation applied right after the layer (a shorthand for an activation attribute).</summary>
    public Activation Activation { get; set; }

    /// <summary>Whether the layer has a bias (default true).</summary>
    public bool Bias { get; set; } = true;
}
