namespace ModelDsl;

/// <summary>
/// Joins earlier blocks by their element-wise mean, (x₁ + … + xₙ) / n (Keras's <c>Average</c>). Shapes must be equal or
/// broadcast by PyTorch's rules (MD0092 otherwise); the result has the broadcast shape.
/// </summary>
public sealed class AverageAttribute : MergeAttribute
{
    /// <summary>Averages <paramref name="sources"/>.</summary>
    public AverageAttribute(params string[] sources) : base(sources) { }
}
