namespace ModelDsl;

/// <summary>
/// Joins earlier blocks by element-wise sum (a skip connection, He et al. 2016; Keras's <c>Add</c>). Shapes must be equal
/// or broadcast against each other by PyTorch's rules (MD0092 otherwise); the result has the broadcast shape.
/// </summary>
public sealed class AddAttribute : MergeAttribute
{
    /// <summary>Sums <paramref name="sources"/>.</summary>
    public AddAttribute(params string[] sources) : base(sources) { }
}
