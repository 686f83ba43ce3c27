namespace ModelDsl;

/// <summary>
/// Joins earlier blocks by concatenation along the channels of images ([C, H, W] → dimension 1 of [B, C, H, W]) or the
/// features of vectors and sequences (the last dimension), as Inception, DenseNet, SqueezeNet's Fire module and U-Net
/// do (<c>torch.cat</c>; Keras's <c>Concatenate</c>). Every other dimension must be equal (MD0092 otherwise).
/// </summary>
public sealed class ConcatenateAttribute : MergeAttribute
{
    /// <summary>Concatenates <paramref name="sources"/> in the order given.</summary>
    public ConcatenateAttribute(params string[] sources) : base(sources) { }
}
