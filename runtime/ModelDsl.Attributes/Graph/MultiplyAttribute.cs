namespace ModelDsl;

/// <summary>
/// Joins earlier blocks by element-wise product, the gate of squeeze-and-excitation (Hu, Shen and Sun 2018: features
/// [C, H, W] times per-channel weights [C, 1, 1]) and of gated units (Keras's <c>Multiply</c>). Shapes must be equal or
/// broadcast by PyTorch's rules (MD0092 otherwise); the result has the broadcast shape.
/// </summary>
public sealed class MultiplyAttribute : MergeAttribute
{
    /// <summary>Multiplies <paramref name="sources"/>.</summary>
    public MultiplyAttribute(params string[] sources) : base(sources) { }
}
