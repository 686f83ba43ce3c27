namespace ModelDsl;

/// <summary>
/// ELU: x for x &gt; 0, α·(eˣ − 1) otherwise, shape-preserving (TorchSharp <c>nn.ELU</c>; Clevert et al. 2016, "Fast and
/// Accurate Deep Network Learning by Exponential Linear Units"). A He init before it uses gain √2, as for ReLU: PyTorch's
/// calculate_gain defines no ELU gain, and the ELU paper trains its networks with He initialization.
/// </summary>
public sealed class ELUAttribute : LayerAttribute
{
    /// <summary>Declares an ELU with α = 1.</summary>
    public ELUAttribute() : this(1.0) { }

    /// <summary>Declares an ELU with the given α (the value it saturates to is −α; must be positive).</summary>
    public ELUAttribute(double alpha) => Alpha = alpha;

    /// <summary>α: the negative saturation value is −α.</summary>
    public double Alpha { get; }
}
