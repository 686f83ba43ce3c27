namespace ModelDsl;

/// <summary>
/// Adds a position code to each step of <c>[B, T, D]</c>: the fixed sinusoids of Vaswani et al. 2017 (§3.5), or a learned
/// table of T × D drawn from N(0, 0.02²) (BERT's and ViT's init) with <see cref="Learned"/>. T is the sequence length
/// the model's shapes give at this point.
/// </summary>
public sealed class PositionalEncodingAttribute : LayerAttribute
{
    /// <summary>A learned table instead of the fixed sinusoids.</summary>
    public bool Learned { get; set; }
}
